import Stripe from 'stripe'
import { AppError } from '@ticketing/shared/platform'

/** The parts of a Stripe event the service reads; the object is validated by whoever handles the type. */
export type StripeEvent = { id: string; type: string; data: { object: unknown } }

/** Checks a web-hook delivery's `Stripe-Signature` against the raw body and returns the event; 400 when it does not match. */
export type WebhookVerifier = (rawBody: string, signature: string | undefined) => Promise<StripeEvent>

const badSignature = (detail: string) => new AppError('invalid-signature', 400, detail)

/**
 * Verifies deliveries with the endpoint's signing secret (`whsec_…`), within Stripe's default five-minute tolerance.
 * @example const verify = createStripeWebhookVerifier(process.env.STRIPE_WEBHOOK_SECRET)
 */
export function createStripeWebhookVerifier(secret: string): WebhookVerifier {
  return async (rawBody, signature) => {
    if (!signature) throw badSignature('The Stripe-Signature header is missing')
    try {
      return await Stripe.webhooks.constructEventAsync(rawBody, signature, secret)
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw badSignature(err.message)
      throw badSignature('The body is not a Stripe event')
    }
  }
}
