import type { PaymentCreated } from '@ticketing/shared/contracts'

export type Payment = { id: string; orderId: string; stripeId: string; userId: string; version: number; createdAt: string }

/** A payment at version 1: the record that the buyer's money was taken for the order. */
export function newPayment(fields: { id: string; orderId: string; stripeId: string; userId: string }, now: Date): Payment {
  return { ...fields, version: 1, createdAt: now.toISOString() }
}

/** The payment as payment.created carries it. */
export function toEvent({ id, orderId, stripeId, version }: Payment): PaymentCreated {
  return { id, orderId, stripeId, version }
}

/**
 * The Stripe idempotency key of one attempt to pay an order.
 * A retried request with the same card replays Stripe's first answer, so it can never charge twice.
 * The payment method is part of the key because Stripe also replays failures: without it, a buyer whose
 * first card was declined would get the same decline back for every other card for 24 hours.
 */
export const idempotencyKey = (orderId: string, paymentMethod: string) => `order-${orderId}-pm-${paymentMethod}`
