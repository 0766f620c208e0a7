import type { z } from '@hono/zod-openapi'
import { beforeEach, describe, expect, it } from 'vitest'
import { useKeto } from '@ticketing/shared/testing/keto'
import { openSqlite } from '@ticketing/shared/sqlite'
import { deliverEvent, silentLogger, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import type { OrderSchema } from '../src/http/schemas'
import type { OrdersStore } from '../src/storage/orders.store'
import { createSqliteOrdersStore } from '../src/storage/orders.sqlite'
import { createSqliteTicketReplicasStore } from '../src/storage/ticket-replicas.sqlite'

// Issue 8, item 4: the seller's edit reached tickets before the order did, so tickets reserved the ticket for an order
// placed at the old terms. The reservation's ticket.updated names the order: orders compares, and cancels on a mismatch.
const users = { 'token-sam': { id: 'sam', email: 'sam@example.com' }, 'token-bea': { id: 'bea', email: 'bea@example.com' } }
const now = new Date('2026-06-01T10:00:00.000Z')
type Order = z.infer<typeof OrderSchema>

const keto = useKeto()
let orders: OrdersStore
let app: ReturnType<typeof createApp>
let ticketId: string
let run = 0
beforeEach(async () => {
  const db = openSqlite(':memory:')
  orders = createSqliteOrdersStore(db)
  run++
  let n = 0
  app = createApp({
    orders, tickets: createSqliteTicketReplicasStore(db), permissions: keto(), identify: tokenIdentify(users), logger: silentLogger(),
    pubsubName: 'pubsub', relay: { kick() {} }, expirationWindowSeconds: 900, clock: () => now, newId: () => `order-${run}-${++n}`,
  })
  ticketId = `ticket-${run}`
  await keto().grant([{ namespace: 'Ticket', object: ticketId, relation: 'owners', subjectId: 'sam' }])
  await deliver('ticket.created', ticketAt({ version: 1 }))
})

const deliver = (topic: string, data: object) => deliverEvent(app, topic, data)
/** The ticket as tickets announces it: 'Opera night' for 4200 unless changed. */
const ticketAt = (fields: { version: number; title?: string; price?: number; orderId?: string }) =>
  ({ id: ticketId, title: 'Opera night', description: '', price: 4200, userId: 'sam', ...fields })
const send = (method: string, path: string, token: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { 'X-Session-Token': token, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
// The body as the shape the test expects of it; the assertions check it.
const json = async <T = unknown>(res: Response): Promise<T> => (await res.json()) as T
const placeOrder = async () => json<Order>(await send('POST', '/api/orders', 'token-bea', { ticketId }))
const statuses = async (id: string) => (await orders.pending(100)).find((r) => r.key === id)?.events.map((e) => [e.topic, e.data])

describe('when the ticket is reserved for an order', () => {
  it('when it shows the terms the order was placed at, then the order stands', async () => {
    const placed = await placeOrder()

    expect(await deliver('ticket.updated', ticketAt({ version: 2, orderId: placed.id }))).toBe('SUCCESS')

    expect(await orders.get(placed.id)).toEqual(placed)
  })

  it('when it shows another price, then the order is cancelled as ticket-changed, the buyer reads why, and order.cancelled is pending', async () => {
    const placed = await placeOrder()

    // The seller's edit (version 2) was applied before the reservation (version 3).
    expect(await deliver('ticket.updated', ticketAt({ version: 3, price: 5000, orderId: placed.id }))).toBe('SUCCESS')

    const shown = await json(await send('GET', `/api/orders/${placed.id}`, 'token-bea'))
    expect(shown).toEqual({ ...placed, status: 'cancelled', version: 2, cancellationReason: 'ticket-changed' })
    expect(await statuses(placed.id)).toEqual([
      ['order.created', { id: placed.id, userId: 'bea', status: 'created', expiresAt: placed.expiresAt, version: 1, ticket: { id: ticketId, price: 4200 } }],
      ['order.cancelled', { id: placed.id, userId: 'bea', status: 'cancelled', version: 2, ticket: { id: ticketId } }],
    ])
  })

  it('when it shows another title, then the order is cancelled as ticket-changed too', async () => {
    const placed = await placeOrder()

    await deliver('ticket.updated', ticketAt({ version: 3, title: 'Opera night, other date', orderId: placed.id }))

    expect(await orders.get(placed.id)).toMatchObject({ status: 'cancelled', cancellationReason: 'ticket-changed' })
  })

  it("when the reservation arrives twice and before the edit's own event, then the order is cancelled once and new orders see the new price", async () => {
    const placed = await placeOrder()
    const reserved = ticketAt({ version: 3, price: 5000, orderId: placed.id })

    await deliver('ticket.updated', reserved)
    await deliver('ticket.updated', ticketAt({ version: 2, price: 5000 }))
    await deliver('ticket.updated', reserved)

    expect(await orders.get(placed.id)).toMatchObject({ status: 'cancelled', version: 2, cancellationReason: 'ticket-changed' })
    expect((await statuses(placed.id))?.map(([topic]) => topic)).toEqual(['order.created', 'order.cancelled'])
    expect(await json(await send('POST', '/api/orders', 'token-bea', { ticketId }))).toMatchObject({ ticket: { price: 5000 } })
  })

  it('when the buyer paid before the reservation showed the change, then the complete order stands: they paid the price they were shown', async () => {
    const placed = await placeOrder()
    await deliver('payment.created', { id: 'pay-1', orderId: placed.id, stripeId: 'pi_1', version: 1 })

    await deliver('ticket.updated', ticketAt({ version: 3, price: 3900, orderId: placed.id }))

    expect(await orders.get(placed.id)).toMatchObject({ status: 'complete', version: 2, ticket: { price: placed.ticket.price } })
    expect((await statuses(placed.id))?.map(([topic]) => topic)).toEqual(['order.created', 'order.completed'])
  })

  it('when the order was cancelled already, or the event names an order orders does not know, then nothing changes', async () => {
    const placed = await placeOrder()
    await send('DELETE', `/api/orders/${placed.id}`, 'token-bea')

    expect(await deliver('ticket.updated', ticketAt({ version: 3, price: 5000, orderId: placed.id }))).toBe('SUCCESS')
    expect(await deliver('ticket.updated', ticketAt({ version: 5, price: 5000, orderId: 'someone-elses' }))).toBe('SUCCESS')

    const kept = await orders.get(placed.id)
    expect(kept).toMatchObject({ status: 'cancelled', version: 2 })
    expect(kept).not.toHaveProperty('cancellationReason')
  })
})
