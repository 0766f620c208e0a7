import Stripe from 'stripe'
import type { PaymentGateway } from './payment-gateway'
import { fromConfirmError, fromIntent, fromRefund, fromRefundError, fromRefusal } from './stripe-outcomes'

export type StripeGatewayOptions = {
  secretKey: string
  /** Overrides for stripe-mock or a proxy; Stripe's API by default. */
  host?: string
  port?: number
  protocol?: 'http' | 'https'
  /** Retries of failed connections and 409/5xx answers; 2 unless told. */
  maxNetworkRetries?: number
}

/**
 * The Stripe adapter: one PaymentIntent per order, created unconfirmed, then confirmed with each card the buyer tries.
 * @example const gateway = createStripeGateway({ secretKey: 'sk_test_…' })
 */
export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const stripe = new Stripe(options.secretKey, {
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    // Safe because every request carries an idempotency key: a retry can only replay, never charge twice.
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 20_000,
  })
  return {
    async createIntent({ amount, currency, metadata, idempotencyKey }) {
      try {
        const intent = await stripe.paymentIntents.create(
          // Cards are confirmed on the server; a method that would redirect the buyer away cannot be finished here.
          { amount, currency, metadata, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } },
          { idempotencyKey },
        )
        return { status: 'created', id: intent.id }
      } catch (err) {
        return fromRefusal(err)
      }
    },
    async confirm({ intentId, paymentMethod, idempotencyKey }) {
      try {
        return fromIntent(await stripe.paymentIntents.confirm(intentId, { payment_method: paymentMethod }, { idempotencyKey }))
      } catch (err) {
        return fromConfirmError(err)
      }
    },
    async refund({ intentId, idempotencyKey }) {
      try {
        return fromRefund(await stripe.refunds.create({ payment_intent: intentId }, { idempotencyKey }))
      } catch (err) {
        return fromRefundError(err)
      }
    },
  }
}
