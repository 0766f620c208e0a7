import { memoryOutbox, type Outbox, type OutboxEvent } from '@ticketing/shared/platform'
import { applyReplica, type OrderReplica } from '../domain/order'
import type { Payment } from '../domain/payment'

/** The payments port: the order replica, and payments stored together with the events they must publish. */
export interface PaymentsStore extends Outbox {
  /** Stores the order's fields if they are newer than the replica's; false when they were not (repeat or late). */
  applyOrder(order: OrderReplica): Promise<boolean>
  getOrder(id: string): Promise<OrderReplica | null>
  /**
   * Records `next` as the order's PaymentIntent only while `expected` is the recorded one, `undefined` meaning none
   * yet (compare-and-set); returns the recorded one afterwards: `next`, or whatever a concurrent attempt recorded first.
   */
  swapIntent(orderId: string, expected: string | undefined, next: string): Promise<string>
  /** Stores a payment and its events in one write; false when the order has a payment already (one per order). */
  insertPayment(payment: Payment, events: OutboxEvent[]): Promise<boolean>
  getPayment(id: string): Promise<Payment | null>
  findPaymentByOrder(orderId: string): Promise<Payment | null>
  /** Notes that the payment's money went back. */
  markRefunded(paymentId: string): Promise<void>
}

/** Keeps the replica and payments in process memory: the one-machine run and fast tests. */
export function createMemoryPaymentsStore(): PaymentsStore {
  const orders = new Map<string, OrderReplica>()
  const payments = new Map<string, { payment: Payment; outbox: OutboxEvent[] }>()
  const copy = <T>(value: T): T => structuredClone(value)
  const byOrder = (orderId: string) => [...payments.values()].find((row) => row.payment.orderId === orderId)

  return {
    async applyOrder(order) {
      const next = applyReplica(orders.get(order.id) ?? null, order)
      if (next) orders.set(order.id, copy(next))
      return next !== null
    },
    async getOrder(id) {
      const order = orders.get(id)
      return order ? copy(order) : null
    },
    async swapIntent(orderId, expected, next) {
      const order = orders.get(orderId)
      if (!order) return next
      if (order.intentId === expected) order.intentId = next
      return order.intentId ?? next
    },
    async insertPayment(payment, events) {
      if (payments.has(payment.id) || byOrder(payment.orderId)) return false
      payments.set(payment.id, { payment: copy(payment), outbox: copy(events) })
      return true
    },
    async getPayment(id) {
      const row = payments.get(id)
      return row ? copy(row.payment) : null
    },
    async findPaymentByOrder(orderId) {
      const row = byOrder(orderId)
      return row ? copy(row.payment) : null
    },
    async markRefunded(paymentId) {
      const row = payments.get(paymentId)
      if (row) row.payment.refunded = true
    },
    ...memoryOutbox(payments),
  }
}
