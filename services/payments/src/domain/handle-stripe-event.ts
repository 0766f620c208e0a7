import { z } from 'zod'
import { id } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import type { StripeEvent } from '../gateway/stripe-webhook'
import { recordPayment } from './record-payment'

// Only intents this service created carry both; others (e.g. from another product on the same account) are not ours.
const ourIntent = z.object({ id: z.string().min(1), metadata: z.object({ orderId: id, userId: id }) })

/**
 * A verified Stripe event. payment_intent.succeeded records the payment (needed when the buyer had to
 * authenticate, so the API call could not); Stripe redelivers, so recording is idempotent per order.
 */
export async function handleStripeEvent(deps: Deps, event: StripeEvent): Promise<'recorded' | 'ignored'> {
  const log = deps.logger.child({ stripeEventId: event.id, stripeEventType: event.type })
  if (event.type !== 'payment_intent.succeeded') return 'ignored'
  const intent = ourIntent.safeParse(event.data.object)
  if (!intent.success) {
    log.warn('payment intent without order metadata; not ours')
    return 'ignored'
  }
  const { id: stripeId, metadata: { orderId, userId } } = intent.data
  const order = await deps.store.getOrder(orderId)
  // The money was taken all the same: record it, and let people know it must go back.
  if (order?.status === 'cancelled') log.error({ orderId, refund: stripeId }, 'payment for a cancelled order; refund it')
  const payment = await recordPayment(deps, { orderId, userId, stripeId })
  if (payment.stripeId !== stripeId) log.error({ orderId, kept: payment.stripeId, refund: stripeId }, 'order charged twice; refund the second intent')
  return 'recorded'
}
