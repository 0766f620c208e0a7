import { randomBytes, randomUUID } from 'node:crypto'
import type { StoredIdentity, StoredSession } from './store'

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

// Kratos's token shapes: "ory_st_" session tokens, "ory_lo_" logout tokens, 32 random characters each.
const randomText = (length: number) =>
  Array.from(randomBytes(length), (byte) => alphanumeric[byte % alphanumeric.length]).join('')

/** Starts an active aal1 password session for the identity. */
export function createSession(
  identity: StoredIdentity,
  now: Date,
  lifespanMs: number,
  client: { ipAddress: string | null; userAgent: string | null },
): StoredSession {
  return {
    id: randomUUID(),
    token: `ory_st_${randomText(32)}`,
    cookieValue: randomBytes(48).toString('base64url'),
    logoutToken: `ory_lo_${randomText(32)}`,
    identityId: identity.id,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + lifespanMs),
    device: { id: randomUUID(), ...client },
  }
}

/** The identity's public JSON, without credentials, as whoami returns it. */
export function renderIdentity(identity: StoredIdentity, publicBaseUrl: string): Record<string, unknown> {
  const at = identity.createdAt.toISOString()
  return {
    id: identity.id,
    schema_id: identity.schemaId,
    schema_url: `${publicBaseUrl}/schemas/${Buffer.from(identity.schemaId).toString('base64url')}`,
    state: 'active',
    state_changed_at: at,
    traits: identity.traits,
    verifiable_addresses: identity.addresses.verifiable.map((a) => ({
      id: a.id,
      value: a.value,
      verified: false,
      via: 'email',
      status: 'pending',
      created_at: at,
      updated_at: at,
    })),
    recovery_addresses: identity.addresses.recovery.map((a) => ({
      id: a.id,
      value: a.value,
      via: 'email',
      created_at: at,
      updated_at: at,
    })),
    metadata_public: null,
    created_at: at,
    updated_at: at,
    organization_id: null,
  }
}

/** The session's public JSON (Kratos field order). */
export function renderSession(session: StoredSession, identity: StoredIdentity, publicBaseUrl: string): Record<string, unknown> {
  const issued = session.issuedAt.toISOString()
  return {
    id: session.id,
    active: true,
    expires_at: session.expiresAt.toISOString(),
    authenticated_at: issued,
    authenticator_assurance_level: 'aal1',
    authentication_methods: [{ method: 'password', aal: 'aal1', completed_at: issued }],
    issued_at: issued,
    identity: renderIdentity(identity, publicBaseUrl),
    devices: [
      { id: session.device.id, ip_address: session.device.ipAddress, user_agent: session.device.userAgent, location: null },
    ],
  }
}
