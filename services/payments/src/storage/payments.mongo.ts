import type { Db } from 'mongodb'
import { isDuplicateKey, type OutboxEvent } from '@ticketing/shared/platform'
import { fieldsToSet, type OrderReplica } from '../domain/order'
import type { Payment } from '../domain/payment'
import type { PaymentsStore } from './payments.store'

type OrderDocument = Omit<OrderReplica, 'id'> & { _id: string }
type PaymentDocument = Omit<Payment, 'id'> & { _id: string; outbox: OutboxEvent[] }

const toOrder = ({ _id, ...rest }: OrderDocument): OrderReplica => ({ id: _id, ...rest })
const toPayment = ({ _id, outbox: _outbox, ...rest }: PaymentDocument): Payment => ({ id: _id, ...rest })

/** Stores the order replica and payments in MongoDB (or any MongoDB-wire server); each payment document carries its pending events. */
export async function createMongoPaymentsStore(db: Db): Promise<PaymentsStore> {
  const orders = db.collection<OrderDocument>('orders')
  const payments = db.collection<PaymentDocument>('payments')
  // One payment per order, enforced by the database: two concurrent payments cannot both be stored.
  await payments.createIndexes([
    { key: { orderId: 1 }, name: 'one_per_order', unique: true },
    { key: { 'outbox.id': 1 }, name: 'by_pending_event', sparse: true },
  ])

  return {
    async applyOrder(order) {
      const { id, ...fields } = fieldsToSet(order)
      // Upsert guarded by version: an equal or newer replica makes the filter miss, and the insert the
      // upsert then tries collides on _id. Two first deliveries racing can collide too, so try once more.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await orders.updateOne({ _id: id, version: { $lt: fields.version } }, { $set: fields }, { upsert: true })
          return true
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
        }
      }
      return false
    },
    async getOrder(id) {
      const doc = await orders.findOne({ _id: id })
      return doc ? toOrder(doc) : null
    },
    async insertPayment({ id, ...rest }, events) {
      try {
        await payments.insertOne({ _id: id, ...rest, outbox: events })
        return true
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },
    async getPayment(id) {
      const doc = await payments.findOne({ _id: id })
      return doc ? toPayment(doc) : null
    },
    async findPaymentByOrder(orderId) {
      const doc = await payments.findOne({ orderId })
      return doc ? toPayment(doc) : null
    },
    async pending(limit) {
      const docs = await payments
        .find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } })
        .limit(limit)
        .toArray()
      return docs.map((doc) => ({ key: doc._id, events: doc.outbox }))
    },
    async markSent(key, events) {
      // Whole-document match: $pull with a query condition is not supported by every MongoDB-wire server.
      await payments.updateOne({ _id: key }, { $pullAll: { outbox: events } })
    },
  }
}
