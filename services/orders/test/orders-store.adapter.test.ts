import { beforeEach, describe, expect, it } from 'vitest'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { placeOrder, settle } from '../src/domain/order'
import { createMemoryOrdersStore, type OrdersStore } from '../src/storage/orders.store'
import { createMongoOrdersStore } from '../src/storage/orders.mongo'
import { createMemoryTicketReplicasStore, type TicketReplicasStore } from '../src/storage/ticket-replicas.store'
import { createMongoTicketReplicasStore } from '../src/storage/ticket-replicas.mongo'

const ticket = (id: string, sellerId = 'seller') => ({ id, title: `Ticket ${id}`, price: 1500, userId: sellerId, version: 1 })
const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 10, minute))
const order = (id: string, ticketId: string, buyer = 'buyer', minute = 0) => placeOrder({ id, userId: buyer, ticket: ticket(ticketId) }, 900, at(minute))
const event = (id: string) => ({ id, topic: 'order.created' as const, data: { id } })

type Stores = { orders: OrdersStore; tickets: TicketReplicasStore }

/** The behaviour every orders adapter must share. */
function storageContract(name: string, makeStores: () => Promise<Stores>) {
  describe(`${name} orders stores`, () => {
    let orders: OrdersStore
    let tickets: TicketReplicasStore
    beforeEach(async () => {
      ;({ orders, tickets } = await makeStores())
    })

    it('when an order is inserted, then get returns an equal plain object', async () => {
      expect(await orders.insert(order('o1', 't1'), [])).toBe('stored')
      expect(await orders.get('o1')).toEqual(order('o1', 't1'))
      expect(await orders.get('nope')).toBeNull()
    })

    it('when many orders for one ticket are inserted at once, then exactly one is stored', async () => {
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => orders.insert(order(`o${i}`, 't1', `buyer${i}`), [])))
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'ticket-held')).toHaveLength(19)
    })

    it('when the holding order is cancelled, then the ticket can be ordered again; a complete order keeps it', async () => {
      await orders.insert(order('o1', 't1'), [])
      expect(await orders.replace(settle(order('o1', 't1'), 'cancelled', at(1))!, 1, [])).toBe(true)
      expect(await orders.insert(order('o2', 't1'), [])).toBe('stored')
      expect(await orders.replace(settle(order('o2', 't1'), 'complete', at(2))!, 1, [])).toBe(true)
      expect(await orders.insert(order('o3', 't1'), [])).toBe('ticket-held')
    })

    it('when replacing at a stale version, then nothing changes', async () => {
      await orders.insert(order('o1', 't1'), [])
      await orders.replace(settle(order('o1', 't1'), 'complete', at(1))!, 1, [])
      expect(await orders.replace(settle(order('o1', 't1'), 'cancelled', at(1))!, 1, [])).toBe(false)
      expect(await orders.get('o1')).toMatchObject({ status: 'complete', version: 2 })
    })

    it("when listing, then a buyer's orders and a seller's sales come newest first", async () => {
      await orders.insert(order('o1', 't1', 'ann', 1), [])
      await orders.insert(order('o2', 't2', 'ann', 2), [])
      await orders.insert(order('o3', 't3', 'bob', 3), [])
      expect((await orders.listByBuyer('ann', 10)).map((o) => o.id)).toEqual(['o2', 'o1'])
      expect((await orders.listByBuyer('ann', 1)).map((o) => o.id)).toEqual(['o2'])
      expect((await orders.listBySeller('seller', 10)).map((o) => o.id)).toEqual(['o3', 'o2', 'o1'])
      expect(await orders.listBySeller('nobody', 10)).toEqual([])
    })

    it('when writes carry events, then they are pending until marked sent', async () => {
      await orders.insert(order('o1', 't1'), [event('e1')])
      await orders.replace(settle(order('o1', 't1'), 'complete', at(1))!, 1, [event('e2')])
      expect(await orders.pending(10)).toEqual([{ key: 'o1', events: [event('e1'), event('e2')] }])
      await orders.markSent('o1', [event('e1'), event('e2')])
      expect(await orders.pending(10)).toEqual([])
    })

    it('when ticket copies arrive, then only a newer version replaces the held one', async () => {
      expect(await tickets.upsert({ ...ticket('t1'), version: 2, price: 2000 })).toBe(true)
      expect(await tickets.upsert({ ...ticket('t1'), version: 1, price: 1000 })).toBe(false)
      expect(await tickets.upsert({ ...ticket('t1'), version: 2, price: 3000 })).toBe(false)
      expect(await tickets.get('t1')).toMatchObject({ version: 2, price: 2000 })
      expect(await tickets.upsert({ ...ticket('t1'), version: 3, price: 3000 })).toBe(true)
      expect(await tickets.get('t1')).toEqual({ ...ticket('t1'), version: 3, price: 3000 })
      expect(await tickets.get('nope')).toBeNull()
    })

    it('when the first two versions of a ticket arrive at the same moment, then the newer one always stays', async () => {
      for (let round = 0; round < 20; round++) {
        const id = `race-${round}`
        await Promise.all([tickets.upsert({ ...ticket(id), version: 1 }), tickets.upsert({ ...ticket(id), version: 2, price: 2000 })])
        expect(await tickets.get(id)).toMatchObject({ version: 2, price: 2000 })
      }
    })
  })
}

storageContract('in-memory', async () => ({ orders: createMemoryOrdersStore(), tickets: createMemoryTicketReplicasStore() }))

withMongo((freshDb) =>
  storageContract('MongoDB', async () => {
    const db = await freshDb()
    return { orders: await createMongoOrdersStore(db), tickets: createMongoTicketReplicasStore(db) }
  }),
)
