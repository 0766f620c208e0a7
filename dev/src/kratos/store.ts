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

/** In-memory state of one stand-in instance. */
export interface KratosStore {
  identities: ReadonlyMap<string, StoredIdentity>
  /** Saves the identity unless one of its identifiers is taken (Kratos's unique credential index). */
  insertIdentity(identity: StoredIdentity): boolean
  findByIdentifier(identifier: string): StoredIdentity | undefined
  saveFlow(flow: Flow): void
  findFlow(id: string): Flow | undefined
  saveSession(session: StoredSession): void
  /** The unexpired session holding this token or cookie value. */
  findSession(by: { token?: string; cookieValue?: string }): StoredSession | undefined
  removeSession(session: StoredSession): void
}

// Kratos answers an expired flow with 410 and a replacement until `kratos cleanup sql` deletes it;
// the stand-in keeps expired flows this long, so memory stays bounded.
const expiredFlowRetentionMs = 60 * 60_000

/** Removes entries from the front of an insertion-ordered map while they are due; same-lifespan entries expire in that order. */
function sweep<T>(entries: Map<string, T>, isDue: (entry: T) => boolean, onRemove: (entry: T) => void = () => {}): void {
  for (const [key, entry] of entries) {
    if (!isDue(entry)) return
    entries.delete(key)
    onRemove(entry)
  }
}

/** Creates an empty store; `now` decides when flows and sessions have expired. */
export function createKratosStore(now: () => Date): KratosStore {
  const identities = new Map<string, StoredIdentity>()
  const byIdentifier = new Map<string, string>()
  const flows = new Map<string, Flow>()
  const byToken = new Map<string, StoredSession>()
  const byCookie = new Map<string, StoredSession>()

  const removeSession = (session: StoredSession) => {
    byToken.delete(session.token)
    byCookie.delete(session.cookieValue)
  }
  const sweepFlows = () => sweep(flows, (flow) => flow.expiresAt.getTime() + expiredFlowRetentionMs <= now().getTime())
  const sweepSessions = () => sweep(byToken, (session) => session.expiresAt <= now(), (session) => byCookie.delete(session.cookieValue))

  return {
    identities,
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
    saveFlow(flow) {
      sweepFlows()
      flows.set(flow.id, flow)
    },
    findFlow(id) {
      sweepFlows()
      return flows.get(id)
    },
    saveSession(session) {
      sweepSessions()
      byToken.set(session.token, session)
      byCookie.set(session.cookieValue, session)
    },
    findSession({ token, cookieValue }) {
      sweepSessions()
      const session = token ? byToken.get(token) : cookieValue ? byCookie.get(cookieValue) : undefined
      if (!session || session.expiresAt > now()) return session
      removeSession(session)
      return undefined
    },
    removeSession,
  }
}
