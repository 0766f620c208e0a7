import type { Flow } from './flows'

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

export interface StoredSession {
  id: string
  token: string
  cookieValue: string
  logoutToken: string
  identityId: string
  active: boolean
  issuedAt: Date
  expiresAt: Date
  device: { id: string; ipAddress: string | null; userAgent: string | null }
}

/** In-memory state of one stand-in instance. */
export interface KratosStore {
  flows: Map<string, Flow>
  identities: Map<string, StoredIdentity>
  sessions: Map<string, StoredSession>
  /** Saves the identity unless one of its identifiers is taken (Kratos's unique credential index). */
  insertIdentity(identity: StoredIdentity): boolean
  findByIdentifier(identifier: string): StoredIdentity | undefined
  findSession(by: { token?: string; cookieValue?: string }): StoredSession | undefined
}

/** Creates an empty store. */
export function createKratosStore(): KratosStore {
  const identities = new Map<string, StoredIdentity>()
  const byIdentifier = new Map<string, string>()
  const sessions = new Map<string, StoredSession>()
  return {
    flows: new Map(),
    identities,
    sessions,
    insertIdentity(identity) {
      if (identity.identifiers.some((id) => byIdentifier.has(id))) return false
      identities.set(identity.id, identity)
      for (const id of identity.identifiers) byIdentifier.set(id, identity.id)
      return true
    },
    findByIdentifier(identifier) {
      const id = byIdentifier.get(identifier.trim().toLowerCase())
      return id ? identities.get(id) : undefined
    },
    findSession({ token, cookieValue }) {
      for (const session of sessions.values()) {
        if ((token && session.token === token) || (cookieValue && session.cookieValue === cookieValue)) return session
      }
      return undefined
    },
  }
}
