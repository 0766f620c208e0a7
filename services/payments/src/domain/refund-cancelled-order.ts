import type { Logger } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { idempotencyKeys } from './payment'

/**
 * Gives the money back when a cancelled order has a payment, which happens only when the reservation ran out while
 * the buyer was paying. Safe to repeat: the refund's key is the order's, and a refunded payment is left alone.
 * Returns whether the order is cancelled with a payment. `log` is the request's or the event's.
 */
export async function refundIfCancelled(deps: Deps, orderId: string, log: Logger): Promise<boolean> {
  const order = await deps.store.getOrder(orderId)
  if (order?.status !== 'cancelled') return false
  const payment = await deps.store.findPaymentByOrder(orderId)
  if (!payment) return false
  if (payment.refunded) return true

  const paymentLog = log.child({ orderId, paymentId: payment.id, stripeId: payment.stripeId })
  const result = await deps.gateway.refund({ intentId: payment.stripeId, idempotencyKey: idempotencyKeys.refund(orderId) })
  if (result.status === 'rejected') {
    // Asking again cannot change Stripe's answer: a person must look at it.
    paymentLog.error({ code: result.code, reason: result.message }, 'payment for a cancelled order could not be refunded')
    return true
  }
  await deps.store.markRefunded(payment.id)
  paymentLog.warn({ refundId: result.id }, 'payment for a cancelled order refunded')
  return true
}
