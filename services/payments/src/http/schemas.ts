import { z } from '@hono/zod-openapi'

export const PayBody = z
  .strictObject({
    orderId: z.string().min(1).max(128).openapi({ example: '01980f3e-7c7a-7bd2-9d3e-6c1f0b0e4a11' }),
    paymentMethod: z
      .string()
      .regex(/^pm_\w{1,120}$/, 'A Stripe PaymentMethod id (pm_…)')
      .openapi({ description: 'A Stripe PaymentMethod id; in test mode e.g. pm_card_visa', example: 'pm_card_visa' }),
  })
  .openapi('PayOrder')

export const PaymentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    stripeId: z.string().openapi({ description: 'The Stripe PaymentIntent', example: 'pi_3Q…' }),
    userId: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    refunded: z.boolean().optional().openapi({ description: 'Present once the money went back because the order was cancelled' }),
  })
  .openapi('Payment')

export const PaymentPendingSchema = z
  .object({
    status: z.enum(['requires_action', 'processing']).openapi({ description: 'requires_action: the buyer must authenticate (3-D Secure)' }),
    clientSecret: z.string().openapi({ description: "For Stripe.js (handleNextAction, retrievePaymentIntent) in the buyer's browser" }),
    paymentIntentId: z.string(),
  })
  .openapi('PaymentPending')
