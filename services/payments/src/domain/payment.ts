import type { PaymentCreated } from '@ticketing/shared/contracts'

/** `refunded`: the money went back because the order was cancelled (its reservation ran out while the buyer paid). */
export type Payment = {
  id: string
  orderId: string
  stripeId: string
  userId: string
  version: number
  createdAt: string
  refunded?: boolean
}

/** A payment at version 1: the record that the buyer's money was taken for the order. */
export function newPayment(fields: { id: string; orderId: string; stripeId: string; userId: string }, now: Date): Payment {
  return { ...fields, version: 1, createdAt: now.toISOString() }
}

/** The payment as payment.created carries it. */
export function toEvent({ id, orderId, stripeId, version }: Payment): PaymentCreated {
  return { id, orderId, stripeId, version }
}

/** Stripe idempotency keys: a retried request replays Stripe's first answer instead of acting again. */
export const idempotencyKeys = {
  /** One PaymentIntent per order: concurrent first attempts get the same intent back. */
  intent: (orderId: string) => `order-${orderId}`,
  /** The one intent that replaces a canceled one: concurrent attempts that found it canceled get the same new intent. */
  replacing: (orderId: string, canceledIntentId: string) => `order-${orderId}-after-${canceledIntentId}`,
  /**
   * One confirmation per intent and card. The card is part of the key because Stripe also replays failures:
   * without it, a buyer whose first card was declined would get the same decline back for every other card.
   * The intent is part of it because Stripe refuses a key reused for another request, as a card that was
   * used on a canceled intent, then on its replacement, would otherwise do.
   */
  confirm: (orderId: string, intentId: string, paymentMethod: string) => `order-${orderId}-${intentId}-pm-${paymentMethod}`,
  /** At most one refund per order, however many deliveries ask for it. */
  refund: (orderId: string) => `refund-${orderId}`,
}
