import type { Flow } from './flows'
import type { StoredIdentity, StoredSession } from './store'

export type IdentityRow = { id: string; schema_id: string; traits: string; password_hash: string; created_at: number }

export type AddressRow = { id: string; purpose: 'verifiable' | 'recovery'; value: string }

export type SessionRow = {
  id: string
  token: string
  cookie_value: string
  logout_token: string
  identity_id: string
  issued_at: number
  expires_at: number
  device_id: string
  ip_address: string | null
  user_agent: string | null
}

export type FlowRow = {
  id: string
  kind: Flow['kind']
  type: Flow['type']
  issued_at: number
  expires_at: number
  request_url: string
  return_to: string | null
  csrf_secret: string | null
  active: 'password' | null
  state: Flow['state']
  ui: string
}

export function identityOf(row: IdentityRow, identifiers: string[], addresses: AddressRow[]): StoredIdentity {
  const only = (purpose: AddressRow['purpose']) => addresses.filter((a) => a.purpose === purpose).map(({ id, value }) => ({ id, value }))
  return {
    id: row.id,
    schemaId: row.schema_id,
    traits: JSON.parse(row.traits) as Record<string, unknown>,
    identifiers,
    passwordHash: row.password_hash,
    addresses: { verifiable: only('verifiable'), recovery: only('recovery') },
    createdAt: new Date(row.created_at),
  }
}

export const sessionOf = (row: SessionRow): StoredSession => ({
  id: row.id,
  token: row.token,
  cookieValue: row.cookie_value,
  logoutToken: row.logout_token,
  identityId: row.identity_id,
  issuedAt: new Date(row.issued_at),
  expiresAt: new Date(row.expires_at),
  device: { id: row.device_id, ipAddress: row.ip_address, userAgent: row.user_agent },
})

export const flowRow = (flow: Flow): FlowRow => ({
  id: flow.id,
  kind: flow.kind,
  type: flow.type,
  issued_at: flow.issuedAt.getTime(),
  expires_at: flow.expiresAt.getTime(),
  request_url: flow.requestUrl,
  return_to: flow.returnTo ?? null,
  csrf_secret: flow.csrfSecret ?? null,
  active: flow.active ?? null,
  state: flow.state,
  // The form as it stands: node values and messages survive a restart like the rest of the flow.
  ui: JSON.stringify(flow.ui),
})

export const toFlow = (row: FlowRow): Flow => ({
  id: row.id,
  kind: row.kind,
  type: row.type,
  issuedAt: new Date(row.issued_at),
  expiresAt: new Date(row.expires_at),
  requestUrl: row.request_url,
  ...(row.return_to === null ? {} : { returnTo: row.return_to }),
  ...(row.csrf_secret === null ? {} : { csrfSecret: row.csrf_secret }),
  ...(row.active === null ? {} : { active: row.active }),
  state: row.state,
  ui: JSON.parse(row.ui) as Flow['ui'],
})
