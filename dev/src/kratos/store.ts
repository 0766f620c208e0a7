import { transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { Flow } from './flows'
import { flowRow, identityOf, sessionOf, toFlow, type AddressRow, type FlowRow, type IdentityRow, type SessionRow } from './store-rows'
import { kratosTables } from './store-tables'

/** An identity with its password credential; the hash never leaves the store. */
export interface StoredIdentity {
  id: string
  schemaId: string
  traits: Record<string, unknown>
  identifiers: string[]
  passwordHash: string
  addresses: { verifiable: StoredAddress[]; recovery: StoredAddress[] }
  createdAt: Date
}

export interface StoredAddress {
  id: string
  value: string
}

/** A live session; logging out or expiring removes it. */
export interface StoredSession {
  id: string
  token: string
  cookieValue: string
  logoutToken: string
  identityId: string
  issuedAt: Date
  expiresAt: Date
  device: { id: string; ipAddress: string | null; userAgent: string | null }
}

/** The state of one stand-in instance, kept in its SQLite database. */
export interface KratosStore {
  findIdentity(id: string): StoredIdentity | undefined
  /** Saves the identity unless one of its identifiers is taken (Kratos's unique credential index). */
  insertIdentity(identity: StoredIdentity): boolean
  findByIdentifier(identifier: string): StoredIdentity | undefined
  /** Saves a new flow, or the flow again after its form, messages or state changed. */
  saveFlow(flow: Flow): void
  findFlow(id: string): Flow | undefined
  saveSession(session: StoredSession): void
  /** The unexpired session holding this token or cookie value. */
  findSession(by: { token?: string; cookieValue?: string }): StoredSession | undefined
  removeSession(session: StoredSession): void
}

// Kratos answers an expired flow with 410 and a replacement until `kratos cleanup sql` deletes it;
// the stand-in keeps expired flows this long, so the database stays bounded.
const expiredFlowRetentionMs = 60 * 60_000

const flowColumns = 'id, kind, type, issued_at, expires_at, request_url, return_to, csrf_secret, active, state, ui'
const sessionColumns = 'id, token, cookie_value, logout_token, identity_id, issued_at, expires_at, device_id, ip_address, user_agent'

/** Creates the store's tables in `db` (if missing); `now` decides when flows and sessions have expired. */
export function createKratosStore(db: DatabaseSync, now: () => Date): KratosStore {
  db.exec(kratosTables)
  const selectIdentity = db.prepare('SELECT id, schema_id, traits, password_hash, created_at FROM kratos_identities WHERE id = ?')
  const selectIdentifiers = db.prepare('SELECT identifier FROM kratos_identifiers WHERE identity_id = ? ORDER BY rowid')
  const selectAddresses = db.prepare('SELECT id, purpose, value FROM kratos_addresses WHERE identity_id = ? ORDER BY rowid')
  const selectOwner = db.prepare('SELECT identity_id FROM kratos_identifiers WHERE identifier = ?')
  const insertIdentityRow = db.prepare(
    'INSERT INTO kratos_identities (id, schema_id, traits, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  // An identity naming one identifier twice (two traits, one value) holds it once.
  const insertIdentifier = db.prepare(
    'INSERT INTO kratos_identifiers (identifier, identity_id) VALUES (?, ?) ON CONFLICT (identifier) DO NOTHING',
  )
  const insertAddress = db.prepare('INSERT INTO kratos_addresses (id, identity_id, purpose, value) VALUES (?, ?, ?, ?)')
  const upsertFlow = db.prepare(`
    INSERT INTO kratos_flows (${flowColumns})
    VALUES (:id, :kind, :type, :issued_at, :expires_at, :request_url, :return_to, :csrf_secret, :active, :state, :ui)
    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, type = excluded.type, issued_at = excluded.issued_at,
      expires_at = excluded.expires_at, request_url = excluded.request_url, return_to = excluded.return_to,
      csrf_secret = excluded.csrf_secret, active = excluded.active, state = excluded.state, ui = excluded.ui
  `)
  const selectFlow = db.prepare(`SELECT ${flowColumns} FROM kratos_flows WHERE id = ?`)
  const sweepFlows = db.prepare('DELETE FROM kratos_flows WHERE expires_at <= ?')
  const insertSession = db.prepare(`
    INSERT INTO kratos_sessions (${sessionColumns})
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  `)
  const sessionByToken = db.prepare(`SELECT ${sessionColumns} FROM kratos_sessions WHERE token = ?`)
  const sessionByCookie = db.prepare(`SELECT ${sessionColumns} FROM kratos_sessions WHERE cookie_value = ?`)
  const deleteSession = db.prepare('DELETE FROM kratos_sessions WHERE id = ?')
  const sweepSessions = db.prepare('DELETE FROM kratos_sessions WHERE expires_at <= ?')

  const findIdentity = (id: string) => {
    const row = selectIdentity.get(id) as IdentityRow | undefined
    if (!row) return undefined
    const identifiers = (selectIdentifiers.all(id) as Array<{ identifier: string }>).map((r) => r.identifier)
    return identityOf(row, identifiers, selectAddresses.all(id) as AddressRow[])
  }
  const isTaken = (identifier: string) => selectOwner.get(identifier) !== undefined

  return {
    findIdentity,
    insertIdentity(identity) {
      return transaction(db, () => {
        if (identity.identifiers.some(isTaken)) return false
        const { id, schemaId, traits, passwordHash, createdAt } = identity
        insertIdentityRow.run(id, schemaId, JSON.stringify(traits), passwordHash, createdAt.getTime())
        for (const identifier of identity.identifiers) insertIdentifier.run(identifier, id)
        for (const address of identity.addresses.verifiable) insertAddress.run(address.id, id, 'verifiable', address.value)
        for (const address of identity.addresses.recovery) insertAddress.run(address.id, id, 'recovery', address.value)
        return true
      })
    },
    findByIdentifier(identifier) {
      const owner = selectOwner.get(identifier.trim().toLowerCase()) as { identity_id: string } | undefined
      return owner ? findIdentity(owner.identity_id) : undefined
    },
    saveFlow(flow) {
      sweepFlows.run(now().getTime() - expiredFlowRetentionMs)
      upsertFlow.run(flowRow(flow))
    },
    findFlow(id) {
      sweepFlows.run(now().getTime() - expiredFlowRetentionMs)
      const row = selectFlow.get(id) as FlowRow | undefined
      return row ? toFlow(row) : undefined
    },
    saveSession(session) {
      sweepSessions.run(now().getTime())
      const { id, token, cookieValue, logoutToken, identityId, issuedAt, expiresAt, device } = session
      insertSession.run(id, token, cookieValue, logoutToken, identityId, issuedAt.getTime(), expiresAt.getTime(), device.id, device.ipAddress, device.userAgent)
    },
    findSession({ token, cookieValue }) {
      // Expired sessions are deleted first, so whatever is still found is live.
      sweepSessions.run(now().getTime())
      const row = token ? sessionByToken.get(token) : cookieValue ? sessionByCookie.get(cookieValue) : undefined
      return row ? sessionOf(row as SessionRow) : undefined
    },
    removeSession(session) {
      deleteSession.run(session.id)
    },
  }
}
