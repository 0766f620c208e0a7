import Stripe from 'stripe'
import { AppError } from '@ticketing/shared/platform'
import type { ConfirmResult, Rejected, RefundResult } from './payment-gateway'

// The cause is Stripe's own type and message, not its error object, which carries the raw response.
const unavailable = (err: unknown) =>
  new AppError('payment-gateway-unavailable', 503, 'The payment provider did not answer; try again', undefined, {
    cause: new Error(err instanceof Stripe.errors.StripeError ? `${err.type}: ${err.message}` : String(err)),
  })

/** Maps a PaymentIntent after server-side confirmation to the port's outcome. */
export function fromIntent(intent: Stripe.PaymentIntent): ConfirmResult {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'succeeded', id: intent.id }
    case 'requires_action':
      return { status: 'requires_action', id: intent.id, clientSecret: intent.client_secret ?? '' }
    case 'processing':
      return { status: 'processing', id: intent.id, clientSecret: intent.client_secret ?? '' }
    case 'canceled':
      return { status: 'canceled', id: intent.id }
    default: {
      // Confirmed but neither paid nor waiting for the customer: the attempt failed and the intent
      // went back to requires_payment_method.
      const failure = intent.last_payment_error
      return { status: 'declined', code: failure?.code ?? intent.status, message: failure?.message ?? 'The payment was not completed.' }
    }
  }
}

/** Stripe's refusal of a request as the port's rejection; anything else (network, 5xx, auth) is an outage: 503. */
export function fromRefusal(err: unknown): Rejected {
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
    return { status: 'rejected', code: err.code ?? err.type, message: err.message, ...(err.param ? { param: err.param } : {}) }
  }
  throw unavailable(err)
}

/** A failed confirmation: card errors are declines; an intent past the point of payment reports where it is. */
export function fromConfirmError(err: unknown): ConfirmResult {
  // Even when this decline made Stripe cancel the intent, the buyer is told of the decline; the next attempt replaces it.
  if (err instanceof Stripe.errors.StripeCardError) {
    return { status: 'declined', code: err.code ?? 'card_declined', message: err.message }
  }
  const intent = err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'payment_intent_unexpected_state' ? err.payment_intent : undefined
  // Another card or a finished authentication paid the intent first: the order is paid, by someone else's attempt.
  if (intent?.status === 'succeeded') return { status: 'succeeded', id: intent.id, alreadySucceeded: true }
  if (intent?.status === 'processing' || intent?.status === 'canceled') return fromIntent(intent)
  return fromRefusal(err)
}

/** A refund as the port sees it: one made now, or one made before, is the money going back. */
export function fromRefund(refund: Stripe.Refund): RefundResult {
  if (refund.status === 'failed' || refund.status === 'canceled') {
    return { status: 'rejected', code: `refund_${refund.status}`, message: refund.failure_reason ?? `The refund ${refund.id} ${refund.status}` }
  }
  return { status: 'refunded', id: refund.id }
}

/** A failed refund request: an intent refunded already counts as refunded. */
export function fromRefundError(err: unknown): RefundResult {
  if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'charge_already_refunded') return { status: 'refunded' }
  return fromRefusal(err)
}
