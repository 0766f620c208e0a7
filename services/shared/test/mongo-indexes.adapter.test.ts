import type { Db } from 'mongodb'
import { describe, expect, it, vi } from 'vitest'
import { createMongoUsersStore } from '../../auth/src/storage/users.mongo'
import { placeOrder } from '../../orders/src/domain/order'
import { createMongoOrdersStore } from '../../orders/src/storage/orders.mongo'
import { createMongoTicketReplicasStore } from '../../orders/src/storage/ticket-replicas.mongo'
import { newPayment } from '../../payments/src/domain/payment'
import { createMongoPaymentsStore } from '../../payments/src/storage/payments.mongo'
import { newTicket } from '../../tickets/src/domain/ticket'
import { createMongoTicketsStore } from '../../tickets/src/storage/tickets.mongo'
import { ensureIndexes, outboxIndex } from '../src/platform/mongo'
import { withMongo } from '../src/testing/mongo'

const at = new Date('2026-06-01T10:00:00.000Z')
const ticket = (id: string) => newTicket({ id, userId: 'seller', title: `Ticket ${id}`, description: 'Row 5', price: 1500 }, at)
const replica = (id: string) => ({ id, title: `Ticket ${id}`, price: 1500, userId: 'seller', version: 1 })
const order = (id: string, ticketId: string) => placeOrder({ id, userId: 'buyer', ticket: replica(ticketId) }, 900, at)
const payment = (id: string, orderId: string) => newPayment({ id, orderId, stripeId: `pi_${id}`, userId: 'buyer' }, at)
const orderReplica = (id: string) => ({ id, userId: 'buyer', status: 'created' as const, version: 1, price: 1500, expiresAt: '2026-06-01T10:15:00.000Z' })

const byName = <T extends { name?: string }>(indexes: T[]) => indexes.toSorted((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
const indexNames = async (db: Db, collection: string) => (await db.collection(collection).indexes()).map((index) => index.name).sort()

/** Opens a store on `db` as a service's start does, then again as its restart on the same data does. */
async function restarted<S>(open: (db: Db) => Promise<S> | S, db: Db, firstWrite: (store: S) => Promise<unknown>) {
  await firstWrite(await open(db))
  return open(db)
}

withMongo((freshDb) => {
  describe('MongoDB stores opened again on their own data', () => {
    it('when the tickets store is opened again, then it still writes and reads, and tickets has its indexes once', async () => {
      const db = await freshDb()
      const store = await restarted(createMongoTicketsStore, db, (first) => first.insert(ticket('t1'), []))
      await store.insert(ticket('t2'), [])
      expect(await store.get('t1')).toEqual(ticket('t1'))
      expect(await store.get('t2')).toEqual(ticket('t2'))
      expect(await indexNames(db, 'tickets')).toEqual(['_id_', 'by_pending_event', 'by_title_gram'])
    })

    it('when the orders stores are opened again, then they still write and read, and orders has its indexes once', async () => {
      const db = await freshDb()
      const orders = await restarted(createMongoOrdersStore, db, (first) => first.insert(order('o1', 't1'), []))
      const tickets = await restarted(createMongoTicketReplicasStore, db, (first) => first.upsert(replica('t1')))
      expect(await orders.insert(order('o2', 't2'), [])).toBe('stored')
      expect(await orders.insert(order('o3', 't1'), [])).toBe('ticket-held')
      expect((await orders.listByBuyer('buyer', 10)).map((o) => o.id).sort()).toEqual(['o1', 'o2'])
      expect(await tickets.upsert({ ...replica('t1'), version: 2 })).toBe(true)
      expect(await tickets.get('t1')).toEqual({ ...replica('t1'), version: 2 })
      expect(await indexNames(db, 'orders')).toEqual(['_id_', 'by_buyer', 'by_pending_event', 'by_seller', 'one_live_order_per_ticket'])
      expect(await indexNames(db, 'ticket_replicas')).toEqual(['_id_'])
    })

    it('when the payments store is opened again, then it still writes and reads, and payments has its indexes once', async () => {
      const db = await freshDb()
      const store = await restarted(createMongoPaymentsStore, db, async (first) => {
        await first.applyOrder(orderReplica('o1'))
        await first.insertPayment(payment('p1', 'o1'), [])
      })
      expect(await store.applyOrder(orderReplica('o2'))).toBe(true)
      expect(await store.insertPayment(payment('p2', 'o2'), [])).toBe(true)
      expect(await store.insertPayment(payment('p3', 'o1'), [])).toBe(false)
      expect(await store.getOrder('o2')).toEqual(orderReplica('o2'))
      expect(await store.findPaymentByOrder('o1')).toEqual(payment('p1', 'o1'))
      expect(await indexNames(db, 'payments')).toEqual(['_id_', 'by_pending_event', 'one_per_order'])
      expect(await indexNames(db, 'orders')).toEqual(['_id_'])
    })

    it('when the users store is opened again, then it still writes and reads, and users has its index once', async () => {
      const db = await freshDb()
      const ann = { id: 'u1', email: 'ann@example.com', createdAt: at.toISOString() }
      const bob = { id: 'u2', email: 'bob@example.com', createdAt: at.toISOString() }
      const store = await restarted(createMongoUsersStore, db, (first) => first.createOnce(ann))
      expect(await store.createOnce(bob)).toEqual(bob)
      expect(await store.get('u1')).toEqual(ann)
      expect(await indexNames(db, 'users')).toEqual(['_id_', 'by_email'])
    })
  })

  describe('ensureIndexes', () => {
    const indexes: Parameters<typeof ensureIndexes>[1] = [{ key: { a: 1 }, name: 'by_a', unique: true }, { key: { b: 1, c: -1 }, name: 'by_b_c' }, outboxIndex]

    it('when the collection does not exist yet, then every index is created', async () => {
      const db = await freshDb()
      await ensureIndexes(db.collection('things'), indexes)
      expect(await indexNames(db, 'things')).toEqual(['_id_', 'by_a', 'by_b_c', 'by_pending_event'])
    })

    it('when one index was dropped, then only that one is created again, as it was, and the others are left alone', async () => {
      const db = await freshDb()
      const things = db.collection('things')
      await ensureIndexes(things, indexes)
      const before = await things.indexes()
      await things.dropIndex('by_a')
      expect(await indexNames(db, 'things')).toEqual(['_id_', 'by_b_c', 'by_pending_event'])

      const createIndex = vi.spyOn(things, 'createIndex')
      await ensureIndexes(things, indexes)
      expect(createIndex.mock.calls.map(([key]) => key)).toEqual([{ a: 1 }])
      // Recreated last, so compared in name order: by_a is back with its unique option, the others as they were.
      expect(byName(await things.indexes())).toEqual(byName(before))
    })

    it('when every index exists, then no index is created', async () => {
      const db = await freshDb()
      const things = db.collection('things')
      await ensureIndexes(things, indexes)
      const createIndex = vi.spyOn(things, 'createIndex')
      await ensureIndexes(things, indexes)
      expect(createIndex).not.toHaveBeenCalled()
      expect(await indexNames(db, 'things')).toEqual(['_id_', 'by_a', 'by_b_c', 'by_pending_event'])
    })
  })
})
