import { describe, expect, it } from 'vitest'
import type { Flow } from './flows'
import { createKratosStore, type StoredSession } from './store'

const hour = 3_600_000
const start = new Date('2026-01-01T10:00:00Z')

function clock() {
  let at = start.getTime()
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) }
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

const flow = (id: string, expiresAt: Date) => ({ id, expiresAt }) as Flow

describe('Kratos store', () => {
  it('when a session is looked up by token or by cookie value, then both find it', () => {
    const store = createKratosStore(clock().now)
    const saved = session(1, new Date(start.getTime() + hour))
    store.saveSession(saved)

    expect(store.findSession({ token: 'ory_st_1' })).toBe(saved)
    expect(store.findSession({ cookieValue: 'cookie-1' })).toBe(saved)
    expect(store.findSession({ token: 'cookie-1' })).toBeUndefined()
  })

  it('when a session is removed, then neither its token nor its cookie finds it', () => {
    const store = createKratosStore(clock().now)
    const saved = session(1, new Date(start.getTime() + hour))
    store.saveSession(saved)

    store.removeSession(saved)

    expect(store.findSession({ token: 'ory_st_1' })).toBeUndefined()
    expect(store.findSession({ cookieValue: 'cookie-1' })).toBeUndefined()
  })

  it('when a session expires, then it is gone, while a later one is still found', () => {
    const time = clock()
    const store = createKratosStore(time.now)
    store.saveSession(session(1, new Date(start.getTime() + hour)))
    store.saveSession(session(2, new Date(start.getTime() + 2 * hour)))

    time.advance(hour)

    expect(store.findSession({ cookieValue: 'cookie-1' })).toBeUndefined()
    expect(store.findSession({ token: 'ory_st_2' })?.id).toBe('session-2')
  })

  it('when a flow has expired, then it is kept an hour to answer 410, and dropped after that', () => {
    const time = clock()
    const store = createKratosStore(time.now)
    store.saveFlow(flow('old', new Date(start.getTime() + hour)))

    time.advance(2 * hour - 1)
    const stillThere = store.findFlow('old')
    time.advance(1)

    expect(stillThere?.id).toBe('old')
    expect(store.findFlow('old')).toBeUndefined()
  })
})
