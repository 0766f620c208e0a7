import Stripe from 'stripe'
import { AppError } from '@ticketing/shared/platform'
import type { ChargeResult, PaymentGateway } from './payment-gateway'

export type StripeGatewayOptions = {
  secretKey: string
  /** Overrides for stripe-mock or a proxy; Stripe's API by default. */
  host?: string
  port?: number
  protocol?: 'http' | 'https'
  /** Retries of failed connections and 409/5xx answers; 2 unless told. */
  maxNetworkRetries?: number
}

const unavailable = () => new AppError('payment-gateway-unavailable', 503, 'The payment provider did not answer; try again')

/** Maps a PaymentIntent after server-side confirmation to the port's outcome. */
export function fromIntent(intent: Stripe.PaymentIntent): ChargeResult {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'succeeded', id: intent.id }
    case 'requires_action':
      return { status: 'requires_action', id: intent.id, clientSecret: intent.client_secret ?? '' }
    case 'processing':
      return { status: 'processing', id: intent.id, clientSecret: intent.client_secret ?? '' }
    default: {
      // Confirmed but neither paid nor waiting for the customer: the attempt failed and the intent
      // went back to requires_payment_method (or was cancelled).
      const failure = intent.last_payment_error
      return { status: 'declined', code: failure?.code ?? intent.status, message: failure?.message ?? 'The payment was not completed.' }
    }
  }
}

/** Maps Stripe's error answers: card errors are declines, invalid requests are refusals, the rest is an outage. */
export function fromError(err: unknown): ChargeResult {
  if (err instanceof Stripe.errors.StripeCardError) {
    return { status: 'declined', code: err.code ?? 'card_declined', message: err.message }
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
    return { status: 'rejected', code: err.code ?? err.type, message: err.message, ...(err.param ? { param: err.param } : {}) }
  }
  throw unavailable()
}

/**
 * The Stripe adapter: one PaymentIntent per charge, created and confirmed in one call.
 * @example const gateway = createStripeGateway({ secretKey: 'sk_test_…' })
 */
export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const stripe = new Stripe(options.secretKey, {
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    // Safe because every charge carries an idempotency key: a retry can only replay, never charge twice.
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 20_000,
  })
  return {
    async charge({ amount, currency, paymentMethod, idempotencyKey, metadata }) {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount,
            currency,
            payment_method: paymentMethod,
            confirm: true,
            // Cards are confirmed on the server; a method that would redirect the buyer away cannot be finished here.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            metadata,
          },
          { idempotencyKey },
        )
        return fromIntent(intent)
      } catch (err) {
        return fromError(err)
      }
    },
  }
}
