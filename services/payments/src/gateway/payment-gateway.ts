/** One attempt to take money: an amount in the smallest currency unit, confirmed at once with a payment method. */
export type Charge = {
  amount: number
  currency: string
  paymentMethod: string
  /** The same key with the same charge replays the first answer instead of charging again. */
  idempotencyKey: string
  metadata: { orderId: string; userId: string }
}

export type ChargeResult =
  | { status: 'succeeded'; id: string }
  /** The customer must authenticate (3-D Secure) in the browser with the client secret; a web hook reports the end. */
  | { status: 'requires_action'; id: string; clientSecret: string }
  /** The bank has not answered yet (rare for cards); a web hook reports the end. */
  | { status: 'processing'; id: string; clientSecret: string }
  /** The bank said no; `message` is safe to show to the customer. */
  | { status: 'declined'; message: string; code: string }
  /** The request itself was refused, e.g. an unknown payment method (`param: 'payment_method'`). */
  | { status: 'rejected'; message: string; code: string; param?: string }

/** The payment gateway port: Stripe in production, a simulator when no Stripe key is configured. */
export type PaymentGateway = {
  charge(charge: Charge): Promise<ChargeResult>
}
