import type { Db } from 'mongodb'
import { ensureIndexes, isDuplicateKey, mongoOutbox, outboxIndex } from '@ticketing/shared/mongo'
import { type OutboxEvent } from '@ticketing/shared/platform'
import type { Order } from '../domain/order'
import { holdKey, type OrdersStore } from './orders.store'

type OrderDocument = Omit<Order, 'id'> & { _id: string; hold: string; outbox: OutboxEvent[] }

function toOrder(doc: OrderDocument): Order {
  const { _id, hold: _hold, outbox: _outbox, ...rest } = doc
  return { id: _id, ...rest }
}

/** Stores orders in MongoDB; a unique index on `hold` makes one live order per ticket a database fact. */
export async function createMongoOrdersStore(db: Db): Promise<OrdersStore> {
  const orders = db.collection<OrderDocument>('orders')
  await ensureIndexes(orders, [
    { key: { hold: 1 }, name: 'one_live_order_per_ticket', unique: true },
    { key: { userId: 1, createdAt: -1 }, name: 'by_buyer' },
    { key: { 'ticket.sellerId': 1, createdAt: -1 }, name: 'by_seller' },
    outboxIndex,
  ])
  const list = async (filter: object, limit: number) =>
    (await orders.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray()).map(toOrder)

  return {
    async insert(order, events) {
      const { id, ...rest } = order
      try {
        await orders.insertOne({ _id: id, ...rest, hold: holdKey(order), outbox: events })
        return 'stored'
      } catch (err) {
        if (isDuplicateKey(err) && (await orders.countDocuments({ _id: id })) === 0) return 'ticket-held'
        throw err
      }
    },
    async get(id) {
      const doc = await orders.findOne({ _id: id })
      return doc ? toOrder(doc) : null
    },
    listByBuyer: (userId, limit) => list({ userId }, limit),
    listBySeller: (sellerId, limit) => list({ 'ticket.sellerId': sellerId }, limit),
    async replace(order, expectedVersion, events) {
      const { id, ...rest } = order
      const { matchedCount } = await orders.updateOne(
        { _id: id, version: expectedVersion },
        { $set: { ...rest, hold: holdKey(order) }, $push: { outbox: { $each: events } } },
      )
      return matchedCount === 1
    },
    ...mongoOutbox(orders),
  }
}
