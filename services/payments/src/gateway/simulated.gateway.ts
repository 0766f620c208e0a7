import { randomBytes } from 'node:crypto'
import type { Charge, ChargeResult, PaymentGateway } from './payment-gateway'

// Stripe's test payment methods (https://docs.stripe.com/testing) with the answers Stripe gives for them.
const SUCCEEDING = new Set(
  ['visa', 'visa_debit', 'mastercard', 'mastercard_debit', 'mastercard_prepaid', 'amex', 'discover', 'diners', 'jcb', 'unionpay']
    .map((brand) => `pm_card_${brand}`),
)
const AUTHENTICATING = new Set(['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required', 'pm_card_threeDSecureRequired'])
const DECLINES: Array<[reason: string, code: string, message: string]> = [
  ['InsufficientFunds', 'card_declined', 'Your card has insufficient funds.'],
  ['ExpiredCard', 'expired_card', 'Your card has expired.'],
  ['IncorrectCvc', 'incorrect_cvc', "Your card's security code is incorrect."],
  ['ProcessingError', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'],
  ['', 'card_declined', 'Your card was declined.'],
]
const DECLINING = /^pm_card_(?:visa_)?chargeDeclined([A-Za-z]*)$/

// Stripe forgets keys after 24 hours; the simulator forgets the oldest beyond this many, so memory stays bounded.
const REMEMBERED_KEYS = 10_000

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

function answer(paymentMethod: string): ChargeResult {
  if (SUCCEEDING.has(paymentMethod)) return { status: 'succeeded', id: `pi_sim_${hex(12)}` }
  if (AUTHENTICATING.has(paymentMethod)) {
    const id = `pi_sim_${hex(12)}`
    return { status: 'requires_action', id, clientSecret: `${id}_secret_${hex(12)}` }
  }
  const reason = paymentMethod.match(DECLINING)?.[1]
  if (reason !== undefined) {
    const [, code, message] = DECLINES.find(([r]) => r === reason) ?? DECLINES.at(-1)!
    return { status: 'declined', code, message }
  }
  return { status: 'rejected', code: 'resource_missing', param: 'payment_method', message: `No such PaymentMethod: '${paymentMethod}'` }
}

/**
 * Answers like Stripe's test mode for its test payment methods, without any network: the one-machine run and tests.
 * Like Stripe, a repeated idempotency key replays the first answer, and reusing it for another charge is refused.
 */
export function createSimulatedGateway(): PaymentGateway {
  const answered = new Map<string, { fingerprint: string; result: ChargeResult }>()
  return {
    async charge(charge: Charge) {
      const { idempotencyKey, ...request } = charge
      const fingerprint = JSON.stringify(request)
      const earlier = answered.get(idempotencyKey)
      if (earlier && earlier.fingerprint !== fingerprint) {
        return {
          status: 'rejected',
          code: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        }
      }
      if (earlier) return structuredClone(earlier.result)
      const result = answer(charge.paymentMethod)
      answered.set(idempotencyKey, { fingerprint, result })
      if (answered.size > REMEMBERED_KEYS) answered.delete(answered.keys().next().value!)
      return structuredClone(result)
    },
  }
}
