import type { components, paths } from './generated/payments'
import { bodyOf, createApiClient, retryWhile } from './http'

type Schemas = components['schemas']
export type Payment = Schemas['Payment']
/** Stripe answered that the buyer must act (3-D Secure) before the money moves. */
export type PaymentAction = Schemas['PaymentPending']

export type PaymentOutcome = { kind: 'paid'; payment: Payment } | { kind: 'action'; action: PaymentAction }

/** Stripe test payment methods the simulated gateway (and Stripe test mode) understands. */
export const testPaymentMethods = [
  { id: 'pm_card_visa', label: 'Visa (succeeds)' },
  { id: 'pm_card_chargeDeclined', label: 'Declined card' },
  { id: 'pm_card_authenticationRequired', label: 'Needs authentication' },
] as const

const payments = createApiClient<paths>()

/**
 * POST /api/payments: 201 paid, 202 authentication needed; a decline is an ApiError (402).
 * Retried while payments has not yet heard of an order placed a moment ago.
 */
export async function payOrder(orderId: string, paymentMethod: string): Promise<PaymentOutcome> {
  const body = await retryWhile(['order-not-ready'], () =>
    bodyOf(payments.POST('/api/payments', { body: { orderId, paymentMethod } })),
  )
  // Only the 202 answer (PaymentPending) carries a client secret, so it tells the two answers apart.
  return 'clientSecret' in body ? { kind: 'action', action: body } : { kind: 'paid', payment: body }
}
