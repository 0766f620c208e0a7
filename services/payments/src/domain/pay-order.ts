import { notFound, type User } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { cardDeclined, invalidPaymentMethod, orderCancelled, orderPaid, orderUnpriced, paymentRejected } from './errors'
import { payability } from './order'
import { idempotencyKey, type Payment } from './payment'
import { recordPayment } from './record-payment'

export type PayInput = { orderId: string; paymentMethod: string }
export type PayOutcome =
  | { status: 'succeeded'; payment: Payment }
  | { status: 'requires_action' | 'processing'; clientSecret: string; paymentIntentId: string }

/** The buyer pays their order: one charge confirmed on the server; nothing is stored unless it succeeded. */
export async function payOrder(deps: Deps, buyer: User, { orderId, paymentMethod }: PayInput): Promise<PayOutcome> {
  const order = await deps.store.getOrder(orderId)
  if (!order) throw notFound('Order')
  await deps.permissions.require('Order', orderId, 'edit', buyer.id)
  const verdict = payability(order, (await deps.store.findPaymentByOrder(orderId)) !== null)
  if (verdict === 'cancelled') throw orderCancelled()
  if (verdict === 'paid') throw orderPaid()
  if (order.price === undefined) throw orderUnpriced()

  const result = await deps.gateway.charge({
    amount: order.price,
    currency: deps.currency,
    paymentMethod,
    idempotencyKey: idempotencyKey(orderId, paymentMethod),
    metadata: { orderId, userId: buyer.id },
  })
  switch (result.status) {
    case 'succeeded': {
      const payment = await recordPayment(deps, { orderId, userId: buyer.id, stripeId: result.id })
      if (payment.stripeId === result.id) return { status: 'succeeded', payment }
      deps.logger.error({ orderId, kept: payment.stripeId, refund: result.id }, 'order charged twice; refund the second intent')
      throw orderPaid()
    }
    case 'requires_action':
    case 'processing':
      return { status: result.status, clientSecret: result.clientSecret, paymentIntentId: result.id }
    case 'declined':
      throw cardDeclined(result.message)
    case 'rejected':
      throw result.param === 'payment_method' ? invalidPaymentMethod(result.message) : paymentRejected(result.message)
  }
}
