import { MAX_PRICE, MIN_PRICE } from '@ticketing/shared/contracts'
import type { ConfirmResult, Rejected } from './payment-gateway'

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

/** What confirming an intent with one of Stripe's test payment methods gives, as Stripe's test mode answers. */
export function cardAnswer(paymentMethod: string, intent: { id: string; clientSecret: string }): ConfirmResult {
  if (SUCCEEDING.has(paymentMethod)) return { status: 'succeeded', id: intent.id }
  if (AUTHENTICATING.has(paymentMethod)) return { status: 'requires_action', id: intent.id, clientSecret: intent.clientSecret }
  const reason = paymentMethod.match(DECLINING)?.[1]
  if (reason !== undefined) {
    const [, code, message] = DECLINES.find(([r]) => r === reason) ?? DECLINES.at(-1)!
    return { status: 'declined', code, message }
  }
  return { status: 'rejected', code: 'resource_missing', param: 'payment_method', message: `No such PaymentMethod: '${paymentMethod}'` }
}

/**
 * Stripe's refusal of an amount outside what it charges (the contract's price bounds are Stripe's limits), worded as
 * Stripe words it ("Amount must be at least $0.50 usd", "Amount must be no more than $999,999.99"); undefined within.
 */
export function amountRefusal(amount: number, currency: string): Rejected | undefined {
  if (amount >= MIN_PRICE && amount <= MAX_PRICE) return undefined
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() })
  const inUnits = (smallest: number) => format.format(smallest / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
  return amount < MIN_PRICE
    ? { status: 'rejected', code: 'amount_too_small', param: 'amount', message: `Amount must be at least ${inUnits(MIN_PRICE)} ${currency}` }
    : { status: 'rejected', code: 'amount_too_large', param: 'amount', message: `Amount must be no more than ${inUnits(MAX_PRICE)}` }
}
