import { outboxEvent, type Logger } from '@ticketing/shared/platform'
import { PAYMENT_CREATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { newPayment, toEvent, type Payment } from './payment'

export type SucceededCharge = { orderId: string; userId: string; stripeId: string }

/**
 * Stores a succeeded charge as the order's one payment, with payment.created in the same write.
 * Returns the order's payment: this charge's, or the one stored first (by the web hook or a concurrent attempt).
 */
export async function recordPayment(deps: Deps, charge: SucceededCharge, log: Logger): Promise<Payment> {
  const existing = await deps.store.findPaymentByOrder(charge.orderId)
  if (existing) return existing

  const payment = newPayment({ id: deps.newId(), ...charge }, deps.clock())
  // Relationships first, so a stored payment is always visible to its buyer and the order's seller.
  const relationships = [
    { namespace: 'Payment', object: payment.id, relation: 'owners', subjectId: charge.userId },
    { namespace: 'Payment', object: payment.id, relation: 'parents', subjectSet: { namespace: 'Order', object: charge.orderId, relation: '' } },
  ]
  await deps.permissions.grant(relationships)
  const data = toEvent(payment)
  if (await deps.store.insertPayment(payment, [outboxEvent(PAYMENT_CREATED, data)])) {
    deps.relay.kick()
    return payment
  }
  // Another attempt stored the order's payment first; this one was never stored, so its relationships would only clutter Keto.
  await deps.permissions.revoke(relationships)
    .catch((err) => log.warn({ err, orderId: charge.orderId, paymentId: payment.id }, 'could not remove relationships'))
  const first = await deps.store.findPaymentByOrder(charge.orderId)
  if (!first) throw new Error(`payment for order ${charge.orderId} was neither stored nor found`)
  return first
}
