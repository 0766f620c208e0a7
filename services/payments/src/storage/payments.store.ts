import type { Outbox, OutboxEvent } from '@ticketing/shared/platform'
import type { OrderReplica } from '../domain/order'
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
