import { z } from 'zod'
import { id } from '@ticketing/shared/contracts'
import type { Logger } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import type { StripeEvent } from '../gateway/stripe-webhook'
import { recordPayment } from './record-payment'
import { refundIfCancelled } from './refund-cancelled-order'

// Only intents this service created carry both; others (e.g. from another product on the same account) are not ours.
const ourIntent = z.object({ id: z.string().min(1), metadata: z.object({ orderId: id, userId: id }) })

/**
 * A verified Stripe event. payment_intent.succeeded records the payment (needed when the buyer had to
 * authenticate, so the API call could not); Stripe redelivers, so recording is idempotent per order.
 * The money of an order cancelled in the meantime is recorded, then given back. `requestLog` is the web-hook request's.
 */
export async function handleStripeEvent(deps: Deps, event: StripeEvent, requestLog: Logger): Promise<'recorded' | 'ignored'> {
  const log = requestLog.child({ stripeEventId: event.id, stripeEventType: event.type })
  if (event.type !== 'payment_intent.succeeded') return 'ignored'
  const intent = ourIntent.safeParse(event.data.object)
  if (!intent.success) {
    log.warn('payment intent without order metadata; not ours')
    return 'ignored'
  }
  const { id: stripeId, metadata: { orderId, userId } } = intent.data
  const payment = await recordPayment(deps, { orderId, userId, stripeId }, log)
  // An order has one chargeable intent at a time (a canceled one never succeeds), so payments never confirmed this one.
  if (payment.stripeId !== stripeId) log.error({ orderId, kept: payment.stripeId, stray: stripeId }, 'a second intent succeeded for the order')
  await refundIfCancelled(deps, orderId, log)
  return 'recorded'
}
