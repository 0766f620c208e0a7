import { describe, expect, it } from 'vitest'
import { orderCreatedExample, type TicketUpdated } from '@ticketing/shared/contracts'
import { useKeto } from '@ticketing/shared/testing/keto'
import { openSqlite } from '@ticketing/shared/sqlite'
import { deliverEvent, silentLogger, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import { createSqliteTicketsStore } from '../src/storage/tickets.sqlite'

// Orders judges an order by the ticket.updated that names it as the holder (issue 8, item 4). That is sound only if
// a held ticket is never edited, so that every such event carries the terms the ticket was reserved with.
const keto = useKeto()

describe('when the seller edits the ticket while order.created arrives', () => {
  it('when it happens 20 times, then every ticket.updated naming the order shows the terms the ticket still has', async () => {
    const store = createSqliteTicketsStore(openSqlite(':memory:'))
    let n = 0
    const app = createApp({
      store, permissions: keto(), identify: tokenIdentify({ 'token-ann': { id: 'ann', email: 'ann@example.com' } }), logger: silentLogger(),
      pubsubName: 'pubsub', relay: { kick() {} }, clock: () => new Date('2026-06-01T10:00:00.000Z'),
      newId: () => `held-${Date.now().toString(36)}-${++n}`,
    })
    const send = (method: string, path: string, body: unknown) =>
      app.request(path, { method, headers: { 'X-Session-Token': 'token-ann', 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

    const edits = new Set<number>()
    for (let round = 0; round < 20; round++) {
      const { id } = (await (await send('POST', '/api/tickets', { title: `Round ${round}`, price: 4200 })).json()) as { id: string }
      const [edit] = await Promise.all([
        send('PATCH', `/api/tickets/${id}`, { title: `Round ${round}, moved`, price: 5000 }),
        deliverEvent(app, 'order.created', { ...orderCreatedExample, id: `order-${round}`, ticket: { id, price: 4200 } }),
      ])
      edits.add(edit.status)

      const ticket = await store.get(id)
      const naming = (await store.pending(100)).flatMap((row) => row.events.map((e) => e.data as TicketUpdated)).filter((e) => e.orderId === `order-${round}`)
      expect(ticket).toMatchObject({ orderId: `order-${round}` })
      expect(naming.length).toBeGreaterThan(0)
      expect(naming.map(({ title, price }) => ({ title, price }))).toEqual(naming.map(() => ({ title: ticket!.title, price: ticket!.price })))
    }
    expect([...edits].filter((s) => s !== 200 && s !== 409)).toEqual([])
  })
})
