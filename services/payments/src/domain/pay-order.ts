import { notFound, type User } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { cardDeclined, orderCancelled, orderExpired, orderPaid, orderUnpriced, refused } from './errors'
import { openIntent } from './open-intent'
import { payability } from './order'
import { idempotencyKeys, type Payment } from './payment'
import { recordPayment } from './record-payment'
import { refundIfCancelled } from './refund-cancelled-order'

export type PayInput = { orderId: string; paymentMethod: string }
export type PayOutcome =
  | { status: 'succeeded'; payment: Payment }
  | { status: 'requires_action' | 'processing'; clientSecret: string; paymentIntentId: string }

/** The buyer pays their order: the order's one PaymentIntent is confirmed with their card; only a success is stored. */
export async function payOrder(deps: Deps, buyer: User, { orderId, paymentMethod }: PayInput): Promise<PayOutcome> {
  const order = await deps.store.getOrder(orderId)
  if (!order) throw notFound('Order')
  await deps.permissions.require('Order', orderId, 'edit', buyer.id)
  const verdict = payability(order, (await deps.store.findPaymentByOrder(orderId)) !== null, deps.clock())
  if (verdict === 'cancelled') throw orderCancelled()
  if (verdict === 'paid') throw orderPaid()
  if (verdict === 'expired') throw orderExpired()
  if (order.price === undefined) throw orderUnpriced()

  const intentId = await openIntent(deps, { ...order, price: order.price })
  const result = await deps.gateway.confirm({ intentId, paymentMethod, idempotencyKey: idempotencyKeys.confirm(orderId, paymentMethod) })
  switch (result.status) {
    case 'succeeded': {
      const payment = await recordPayment(deps, { orderId, userId: order.userId, stripeId: result.id })
      // The reservation may have ended while the card was charged, and the cancellation seen no payment yet.
      if (await refundIfCancelled(deps, orderId)) throw orderCancelled()
      // Another card, or a finished authentication, paid the intent before this attempt.
      if (result.alreadySucceeded) throw orderPaid()
      return { status: 'succeeded', payment }
    }
    case 'requires_action':
    case 'processing':
      return { status: result.status, clientSecret: result.clientSecret, paymentIntentId: result.id }
    case 'declined':
      throw cardDeclined(result.message)
    case 'rejected':
      throw refused(result)
  }
}
