/** The one PaymentIntent of an order: an amount in the smallest currency unit, confirmed later with a payment method. */
export type NewIntent = {
  amount: number
  currency: string
  metadata: { orderId: string; userId: string }
  /** The same key with the same request replays the first answer instead of creating another intent. */
  idempotencyKey: string
}

/** One attempt to pay an intent with a payment method; a declined attempt leaves the intent payable (unless Stripe cancels it). */
export type Confirmation = { intentId: string; paymentMethod: string; idempotencyKey: string }

/** Gives back all the money an intent took. */
export type Refund = { intentId: string; idempotencyKey: string }

/** The request itself was refused, e.g. an unknown payment method (`param: 'payment_method'`) or a too small amount. */
export type Rejected = { status: 'rejected'; message: string; code: string; param?: string }

export type IntentResult = { status: 'created'; id: string } | Rejected

export type ConfirmResult =
  /** `alreadySucceeded`: the intent had been paid before this attempt (by another card or a finished authentication). */
  | { status: 'succeeded'; id: string; alreadySucceeded?: true }
  /** The customer must authenticate (3-D Secure) in the browser with the client secret; a web hook reports the end. */
  | { status: 'requires_action'; id: string; clientSecret: string }
  /** The bank has not answered yet (rare for cards); a web hook reports the end. */
  | { status: 'processing'; id: string; clientSecret: string }
  /** The bank said no; `message` is safe to show to the customer. The intent can be confirmed with another card. */
  | { status: 'declined'; message: string; code: string }
  /**
   * The intent is canceled (Stripe cancels one after too many failed confirmations): it can never be charged,
   * so the order needs a new intent.
   */
  | { status: 'canceled'; id: string }
  | Rejected

/** `refunded` also when the intent had been refunded already: the money is back or on its way. */
export type RefundResult = { status: 'refunded'; id?: string } | Rejected

/** The payment gateway port: Stripe in production, a simulator when no Stripe key is configured. */
export type PaymentGateway = {
  createIntent(intent: NewIntent): Promise<IntentResult>
  confirm(confirmation: Confirmation): Promise<ConfirmResult>
  refund(refund: Refund): Promise<RefundResult>
}
