import type { z } from '@hono/zod-openapi'
import { beforeEach, describe, expect, it } from 'vitest'
import { useKeto } from '@ticketing/shared/testing/keto'
import type { Permissions } from '@ticketing/shared/permissions'
import type { Problem as ProblemSchema } from '@ticketing/shared/platform'
import { openSqlite } from '@ticketing/shared/sqlite'
import { deliverEvent, silentLogger, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import type { OrderList, OrderSchema } from '../src/http/schemas'
import type { OrdersStore } from '../src/storage/orders.store'
import { createSqliteOrdersStore } from '../src/storage/orders.sqlite'
import { createSqliteTicketReplicasStore } from '../src/storage/ticket-replicas.sqlite'

const users = { 'token-sam': { id: 'sam', email: 'sam@example.com' }, 'token-bea': { id: 'bea', email: 'bea@example.com' }, 'token-eve': { id: 'eve', email: 'eve@example.com' } }
const now = new Date('2026-06-01T10:00:00.000Z')

const keto = useKeto()
let permissions: Permissions

let orders: OrdersStore
let app: ReturnType<typeof createApp>
let ticketId: string
let run = 0
beforeEach(async () => {
  permissions = keto()
  const db = openSqlite(':memory:')
  orders = createSqliteOrdersStore(db)
  let n = 0
  run++
  app = createApp({
    orders, tickets: createSqliteTicketReplicasStore(db), permissions, identify: tokenIdentify(users), logger: silentLogger(),
    pubsubName: 'pubsub', relay: { kick() {} }, expirationWindowSeconds: 900, clock: () => now,
    newId: () => `order-${run}-${++n}`,
  })
  // Sam sells a ticket: tickets writes the owner relationship and publishes ticket.created.
  ticketId = `ticket-${run}`
  await permissions.grant([{ namespace: 'Ticket', object: ticketId, relation: 'owners', subjectId: 'sam' }])
  await deliver('ticket.created', { id: ticketId, title: 'Opera night', description: '', price: 4200, userId: 'sam', version: 1 })
})

const send = (method: string, path: string, token?: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { ...(token ? { 'X-Session-Token': token } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })

const deliver = (topic: string, data: object) => deliverEvent(app, topic, data)

const order = async (token = 'token-bea') => send('POST', '/api/orders', token, { ticketId })
type Order = z.infer<typeof OrderSchema>
type List = z.infer<typeof OrderList>
type Problem = z.infer<typeof ProblemSchema>
// The body as the shape the test expects of it; the assertions check it.
const json = async <T = unknown>(res: Response): Promise<T> => (await res.json()) as T

const pending = async (id: string) => (await orders.pending(100)).find((r) => r.key === id)?.events.map((e) => e.data)

describe('POST /api/orders', () => {
  it('when a buyer orders a free ticket, then 201 with the order reserved for the window and order.created pending', async () => {
    const res = await order()
    expect(res.status).toBe(201)
    const placed = await json<Order>(res)
    expect(placed).toEqual({
      id: 'order-' + run + '-1', userId: 'bea', status: 'created', version: 1,
      expiresAt: '2026-06-01T10:15:00.000Z', createdAt: now.toISOString(), updatedAt: now.toISOString(),
      ticket: { id: ticketId, title: 'Opera night', price: 4200, sellerId: 'sam' },
    })
    expect(res.headers.get('location')).toBe(`/api/orders/${placed.id}`)
    expect(await pending(placed.id)).toEqual([
      { id: placed.id, userId: 'bea', status: 'created', expiresAt: '2026-06-01T10:15:00.000Z', version: 1, ticket: { id: ticketId, price: 4200 } },
    ])
  })

  it('when the seller orders their own ticket, then 403', async () => {
    const res = await order('token-sam')
    expect(res.status).toBe(403)
  })

  it('when the ticket is unknown, then 404; when the body is wrong, then 400 naming ticketId; without a session, then 401', async () => {
    expect((await send('POST', '/api/orders', 'token-bea', { ticketId: 'nope' })).status).toBe(404)
    const bad = await send('POST', '/api/orders', 'token-bea', { ticket: 'x' })
    expect(bad.status).toBe(400)
    expect((await json<Problem>(bad)).errors?.map((e) => e.field).sort()).toEqual(['ticket', 'ticketId'])
    expect((await send('POST', '/api/orders', undefined, { ticketId })).status).toBe(401)
  })

  it('when another order holds the ticket, then 409; after it is cancelled, then the ticket can be ordered again', async () => {
    const first = await json<Order>(await order('token-bea'))
    const taken = await order('token-eve')
    expect(taken.status).toBe(409)
    expect(await taken.json()).toMatchObject({ code: 'ticket-reserved' })
    // The refused order left no relationships behind.
    expect(await permissions.check('Order', `order-${run}-2`, 'view', 'eve')).toBe(false)
    expect(await permissions.check('Order', first.id, 'view', 'bea')).toBe(true)
    await send('DELETE', `/api/orders/${first.id}`, 'token-bea')
    expect((await order('token-eve')).status).toBe(201)
  })

  it('when many buyers order the same ticket at once, then exactly one order exists and the rest get 409', async () => {
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => order(i % 2 ? 'token-bea' : 'token-eve').then((r) => r.status)))
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(29)
  })
})

describe('reading orders', () => {
  it('when the buyer, the seller or a stranger asks for the order, then 200, 200 and 403', async () => {
    const placed = await json<Order>(await order())
    expect(await (await send('GET', `/api/orders/${placed.id}`, 'token-bea')).json()).toMatchObject({ id: placed.id, status: 'created' })
    expect((await send('GET', `/api/orders/${placed.id}`, 'token-sam')).status).toBe(200)
    expect((await send('GET', `/api/orders/${placed.id}`, 'token-eve')).status).toBe(403)
    expect((await send('GET', '/api/orders/nope', 'token-bea')).status).toBe(404)
  })

  it("when listing, then the buyer sees their orders and the seller sees them as sales", async () => {
    const placed = await json<Order>(await order())
    expect((await json<List>(await send('GET', '/api/orders', 'token-bea'))).items.map((o) => o.id)).toEqual([placed.id])
    expect((await json<List>(await send('GET', '/api/orders', 'token-sam'))).items).toEqual([])
    expect((await json<List>(await send('GET', '/api/orders/sales', 'token-sam'))).items.map((o) => o.id)).toEqual([placed.id])
    expect((await send('GET', '/api/orders?limit=500', 'token-sam')).status).toBe(400)
  })
})

describe('DELETE /api/orders/:id', () => {
  it('when the buyer cancels a created order, then 200 cancelled in version 2 and order.cancelled pending', async () => {
    const placed = await json<Order>(await order())
    const res = await send('DELETE', `/api/orders/${placed.id}`, 'token-bea')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'cancelled', version: 2 })
    expect((await pending(placed.id))?.at(-1)).toEqual({ id: placed.id, userId: 'bea', status: 'cancelled', version: 2, ticket: { id: ticketId } })
  })

  it('when the seller or a stranger cancels, then 403; when already cancelled or complete, then 409', async () => {
    const placed = await json<Order>(await order())
    expect((await send('DELETE', `/api/orders/${placed.id}`, 'token-sam')).status).toBe(403)
    expect((await send('DELETE', `/api/orders/${placed.id}`, 'token-eve')).status).toBe(403)
    await deliver('payment.created', { id: 'pay-1', orderId: placed.id, stripeId: 'pi_1', version: 1 })
    const res = await send('DELETE', `/api/orders/${placed.id}`, 'token-bea')
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ code: 'order-not-cancellable' })
  })
})

describe('events', () => {
  it('when expiration.completed arrives (twice), then a created order is cancelled once', async () => {
    const placed = await json<Order>(await order())
    expect(await deliver('expiration.completed', { orderId: placed.id })).toBe('SUCCESS')
    expect(await deliver('expiration.completed', { orderId: placed.id })).toBe('SUCCESS')
    expect(await orders.get(placed.id)).toMatchObject({ status: 'cancelled', version: 2 })
    expect((await pending(placed.id))?.map((e) => (e as { status: string }).status)).toEqual(['created', 'cancelled'])
  })

  it('when payment.created arrives (twice), then the order is complete once, and a later expiry does nothing', async () => {
    const placed = await json<Order>(await order())
    const payment = { id: 'pay-1', orderId: placed.id, stripeId: 'pi_1', version: 1 }
    await deliver('payment.created', payment)
    await deliver('payment.created', payment)
    await deliver('expiration.completed', { orderId: placed.id })
    expect(await orders.get(placed.id)).toMatchObject({ status: 'complete', version: 2 })
    expect((await pending(placed.id))?.map((e) => (e as { status: string }).status)).toEqual(['created', 'complete'])
  })

  it('when ticket updates arrive out of order, then the newest version is what new orders see', async () => {
    await deliver('ticket.updated', { id: ticketId, title: 'Opera gala', description: '', price: 5000, userId: 'sam', version: 3 })
    await deliver('ticket.updated', { id: ticketId, title: 'Opera night', description: '', price: 4500, userId: 'sam', version: 2 })
    expect((await json<Order>(await order())).ticket).toMatchObject({ title: 'Opera gala', price: 5000 })
  })

  it('when an event names an unknown order, then it is dropped to the dead-letter topic', async () => {
    expect(await deliver('expiration.completed', { orderId: 'nope' })).toBe('DROP')
    expect(await deliver('payment.created', { id: 'p', orderId: 'nope', stripeId: 'pi', version: 1 })).toBe('DROP')
  })

  it('when the sidecar asks, then /healthz, the subscriptions and the OpenAPI document are served', async () => {
    expect(await (await send('GET', '/healthz')).json()).toEqual({ status: 'ok' })
    const topics = (await json<Array<{ topic: string }>>(await send('GET', '/dapr/subscribe'))).map((s) => s.topic)
    expect(topics).toEqual(['ticket.created', 'ticket.updated', 'expiration.completed', 'payment.created', 'orders.dead-letter'])
    const doc = await json<{ paths: object }>(await send('GET', '/api/orders/openapi.json'))
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/orders', '/api/orders/sales', '/api/orders/{id}'])
  })
})
