import { beforeEach, describe, expect, it } from 'vitest'
import type { Identify } from '@ticketing/shared/auth'
import { useKeto } from '@ticketing/shared/testing/keto'
import { openSqlite } from '@ticketing/shared/sqlite'
import { deliverEvent, silentLogger } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import { createSqliteOrdersStore } from '../src/storage/orders.sqlite'
import { createSqliteTicketReplicasStore } from '../src/storage/ticket-replicas.sqlite'

// Issue 8: the body limit and cross-site writes, through the orders API.
const bea = { id: 'bea', email: 'bea@example.com' }
// A browser's session cookie, as Kratos would resolve it.
const identify: Identify = async ({ cookie }) => (cookie === 'ory_kratos_session=bea' ? bea : null)
const cookie = 'ory_kratos_session=bea'

const keto = useKeto()
let app: ReturnType<typeof createApp>
let run = 0
beforeEach(() => {
  const db = openSqlite(':memory:')
  let n = 0
  run++
  app = createApp({
    orders: createSqliteOrdersStore(db), tickets: createSqliteTicketReplicasStore(db), permissions: keto(), identify, logger: silentLogger(),
    pubsubName: 'pubsub', relay: { kick() {} }, expirationWindowSeconds: 900, clock: () => new Date('2026-06-01T10:00:00.000Z'),
    newId: () => `edge-order-${run}-${++n}`,
  })
})

// The largest ticket the tickets API accepts, at its longest as JSON: every description character escaped to six bytes.
const largestTicket = (id: string) => ({ id, title: 'T'.repeat(120), description: '\uD800'.repeat(2000), price: 4200, userId: 'sam', version: 1 })

const order = (headers: Record<string, string>, body: unknown = { ticketId: 'none' }) =>
  app.request('/api/orders', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

describe('orders: request bodies', () => {
  it('when an order body is over 64 KiB, then 413 payload-too-large', async () => {
    const res = await order({ cookie }, { ticketId: 'x'.repeat(65 * 1024) })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload-too-large' })
  })

  it('when Dapr delivers the largest ticket event tickets can publish, then it fits and is recorded', async () => {
    expect(JSON.stringify(largestTicket(`t-${run}`)).length).toBeGreaterThan(12_000)
    expect(await deliverEvent(app, 'ticket.created', largestTicket(`t-${run}`))).toBe('SUCCESS')
  })
})

describe('orders: cross-site writes', () => {
  it('when a page on another origin orders with the cookie, then 403 cross-site-request', async () => {
    const res = await order({ cookie, origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ status: 403, code: 'cross-site-request' })
  })

  it('when a page on another origin cancels with the cookie, then 403 cross-site-request', async () => {
    const res = await app.request('/api/orders/any', { method: 'DELETE', headers: { cookie, origin: 'http://evil.example' } })
    expect(res.status).toBe(403)
  })

  it("when the app's own page orders with the cookie, then the order is looked at (404: no such ticket)", async () => {
    const res = await order({ cookie, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })
    expect(await res.json()).toMatchObject({ status: 404, code: 'ticket-not-found' })
  })
})
