// Times are milliseconds since the epoch, so expiry is a plain integer comparison on an index.
// Identifiers are kept lower-cased (the identity schema does that), which makes the unique key case-insensitive.
export const kratosTables = `
  CREATE TABLE IF NOT EXISTS kratos_identities (
    id TEXT PRIMARY KEY,
    schema_id TEXT NOT NULL,
    traits TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS kratos_identifiers (
    identifier TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL REFERENCES kratos_identities (id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS kratos_identifiers_by_identity ON kratos_identifiers (identity_id);
  CREATE TABLE IF NOT EXISTS kratos_addresses (
    id TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL REFERENCES kratos_identities (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verifiable', 'recovery')),
    value TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS kratos_addresses_by_identity ON kratos_addresses (identity_id);
  CREATE TABLE IF NOT EXISTS kratos_sessions (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    cookie_value TEXT NOT NULL UNIQUE,
    logout_token TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES kratos_identities (id),
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    ip_address TEXT,
    user_agent TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS kratos_sessions_by_expiry ON kratos_sessions (expires_at);
  CREATE TABLE IF NOT EXISTS kratos_flows (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('login', 'registration')),
    type TEXT NOT NULL CHECK (type IN ('browser', 'api')),
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    request_url TEXT NOT NULL,
    return_to TEXT,
    csrf_secret TEXT,
    active TEXT,
    state TEXT NOT NULL,
    ui TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS kratos_flows_by_expiry ON kratos_flows (expires_at);
`
