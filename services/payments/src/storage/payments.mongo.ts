import type { Db } from 'mongodb'
import { ensureIndexes, isDuplicateKey, mongoOutbox, outboxIndex, upsertNewer } from '@ticketing/shared/mongo'
import { type OutboxEvent } from '@ticketing/shared/platform'
import { fieldsToSet, type OrderReplica } from '../domain/order'
import type { Payment } from '../domain/payment'
import type { PaymentsStore } from './payments.store'

// Distributed over the replica's variants, so a document read back is a created or a settled order, not a mix.
type Stored<T> = T extends unknown ? Omit<T, 'id'> & { _id: string } : never
type OrderDocument = Stored<OrderReplica>
type PaymentDocument = Omit<Payment, 'id'> & { _id: string; outbox: OutboxEvent[] }

const toOrder = ({ _id, ...rest }: OrderDocument): OrderReplica => ({ id: _id, ...rest })
const toPayment = ({ _id, outbox: _outbox, ...rest }: PaymentDocument): Payment => ({ id: _id, ...rest })

/** Stores the order replica and payments in MongoDB (or any MongoDB-wire server); each payment document carries its pending events. */
export async function createMongoPaymentsStore(db: Db): Promise<PaymentsStore> {
  const orders = db.collection<OrderDocument>('orders')
  const payments = db.collection<PaymentDocument>('payments')
  // One payment per order, enforced by the database: two concurrent payments cannot both be stored.
  await ensureIndexes(payments, [{ key: { orderId: 1 }, name: 'one_per_order', unique: true }, outboxIndex])

  return {
    async applyOrder(order) {
      const { id, ...fields } = fieldsToSet(order)
      return upsertNewer(orders, id, fields)
    },
    async getOrder(id) {
      const doc = await orders.findOne({ _id: id })
      return doc ? toOrder(doc) : null
    },
    async swapIntent(orderId, expected, next) {
      // One guarded single-document write: of concurrent swaps from the same intent (or from none), the first to land is kept.
      await orders.updateOne({ _id: orderId, intentId: expected ?? { $exists: false } }, { $set: { intentId: next } })
      return (await orders.findOne({ _id: orderId }, { projection: { intentId: 1 } }))?.intentId ?? next
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
    async markRefunded(paymentId) {
      await payments.updateOne({ _id: paymentId }, { $set: { refunded: true } })
    },
    ...mongoOutbox(payments),
  }
}
