import { request, retryWhile } from './http'

export type Payment = { id: string; orderId: string; stripeId: string; version: number; createdAt: string }

/** Stripe answered that the buyer must act (3-D Secure) before the money moves. */
export type PaymentAction = { status: 'requires_action' | 'processing'; clientSecret: string; paymentIntentId: string }

export type PaymentOutcome = { kind: 'paid'; payment: Payment } | { kind: 'action'; action: PaymentAction }

/** Stripe test payment methods the simulated gateway (and Stripe test mode) understands. */
export const testPaymentMethods = [
  { id: 'pm_card_visa', label: 'Visa (succeeds)' },
  { id: 'pm_card_chargeDeclined', label: 'Declined card' },
  { id: 'pm_card_authenticationRequired', label: 'Needs authentication' },
] as const

/**
 * POST /api/payments: 201 paid, 202 authentication needed; a decline is an ApiError (402).
 * Retried while payments has not yet heard of an order placed a moment ago.
 */
export async function payOrder(orderId: string, paymentMethod: string): Promise<PaymentOutcome> {
  const res = await retryWhile(['order-not-ready'], () =>
    request<Payment | PaymentAction>('/api/payments', { method: 'POST', body: { orderId, paymentMethod } }),
  )
  return res.status === 202 ? { kind: 'action', action: res.body as PaymentAction } : { kind: 'paid', payment: res.body as Payment }
}
