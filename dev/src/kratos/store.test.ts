import { openSqlite } from '@ticketing/shared/sqlite'
import { describe, expect, it } from 'vitest'
import type { Flow } from './flows'
import { createKratosStore, type StoredIdentity, type StoredSession } from './store'

const hour = 3_600_000
const start = new Date('2026-01-01T10:00:00Z')

function clock() {
  let at = start.getTime()
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) }
}

const identity = (id: string, email: string): StoredIdentity => ({
  id,
  schemaId: 'default',
  traits: { email },
  identifiers: [email.toLowerCase()],
  passwordHash: '$scrypt$ln=14,r=8,p=1$salt$key',
  addresses: { verifiable: [{ id: `${id}-v`, value: email }], recovery: [{ id: `${id}-r`, value: email }] },
  createdAt: start,
})

/** A store holding one identity, the owner of the sessions below. */
function storeWith(now: () => Date) {
  const store = createKratosStore(openSqlite(':memory:'), now)
  store.insertIdentity(identity('identity', 'Owner@Example.com'))
  return store
}

const session = (n: number, expiresAt: Date): StoredSession => ({
  id: `session-${n}`,
  token: `ory_st_${n}`,
  cookieValue: `cookie-${n}`,
  logoutToken: `ory_lo_${n}`,
  identityId: 'identity',
  issuedAt: start,
  expiresAt,
  device: { id: 'device', ipAddress: null, userAgent: null },
})

const flow = (id: string, expiresAt: Date): Flow => ({
  id,
  kind: 'login',
  type: 'browser',
  issuedAt: start,
  expiresAt,
  requestUrl: 'http://127.0.0.1/self-service/login/browser',
  csrfSecret: 'secret',
  state: 'choose_method',
  ui: { action: `http://127.0.0.1/self-service/login?flow=${id}`, method: 'POST', nodes: [] },
})

describe('Kratos store', () => {
  it('when an identity is saved, then its id and any spelling of its identifier find it with its addresses', () => {
    const store = storeWith(clock().now)

    const found = store.findByIdentifier('  OWNER@example.COM ')

    expect(found).toEqual(identity('identity', 'Owner@Example.com'))
    expect(store.findIdentity('identity')).toEqual(found)
    expect(store.findByIdentifier('someone@example.com')).toBeUndefined()
  })

  it('when an identifier is taken, then a second identity with it is refused and nothing of it is saved', () => {
    const store = storeWith(clock().now)

    const inserted = store.insertIdentity(identity('second', 'owner@example.com'))

    expect(inserted).toBe(false)
    expect(store.findIdentity('second')).toBeUndefined()
    expect(store.findByIdentifier('owner@example.com')?.id).toBe('identity')
  })

  it('when a session is looked up by token or by cookie value, then both find it', () => {
    const store = storeWith(clock().now)
    const saved = session(1, new Date(start.getTime() + hour))
    store.saveSession(saved)

    expect(store.findSession({ token: 'ory_st_1' })).toEqual(saved)
    expect(store.findSession({ cookieValue: 'cookie-1' })).toEqual(saved)
    expect(store.findSession({ token: 'cookie-1' })).toBeUndefined()
  })

  it('when a session is removed, then neither its token nor its cookie finds it', () => {
    const store = storeWith(clock().now)
    const saved = session(1, new Date(start.getTime() + hour))
    store.saveSession(saved)

    store.removeSession(saved)

    expect(store.findSession({ token: 'ory_st_1' })).toBeUndefined()
    expect(store.findSession({ cookieValue: 'cookie-1' })).toBeUndefined()
  })

  it('when a session expires, then it is gone, while a later one is still found', () => {
    const time = clock()
    const store = storeWith(time.now)
    store.saveSession(session(1, new Date(start.getTime() + hour)))
    store.saveSession(session(2, new Date(start.getTime() + 2 * hour)))

    time.advance(hour)

    expect(store.findSession({ cookieValue: 'cookie-1' })).toBeUndefined()
    expect(store.findSession({ token: 'ory_st_2' })?.id).toBe('session-2')
  })

  it('when a flow is saved again after a change, then it is found as changed', () => {
    const store = storeWith(clock().now)
    const saved = flow('changing', new Date(start.getTime() + hour))
    store.saveFlow(saved)

    store.saveFlow({ ...saved, state: 'passed_challenge', active: 'password', returnTo: 'http://127.0.0.1/next' })

    expect(store.findFlow('changing')).toEqual({ ...saved, state: 'passed_challenge', active: 'password', returnTo: 'http://127.0.0.1/next' })
  })

  it('when a flow has expired, then it is kept an hour to answer 410, and dropped after that', () => {
    const time = clock()
    const store = storeWith(time.now)
    store.saveFlow(flow('old', new Date(start.getTime() + hour)))

    time.advance(2 * hour - 1)
    const stillThere = store.findFlow('old')
    time.advance(1)

    expect(stillThere?.id).toBe('old')
    expect(store.findFlow('old')).toBeUndefined()
  })
})
