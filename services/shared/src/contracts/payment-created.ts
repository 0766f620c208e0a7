import { z } from 'zod'
import { id, version } from './common'

export const PAYMENT_CREATED = 'payment.created'

export const paymentCreatedSchema = z.object({
  id,
  orderId: id,
  stripeId: z.string().min(1),
  version,
})

export type PaymentCreated = z.infer<typeof paymentCreatedSchema>

export const paymentCreatedExample: PaymentCreated = {
  id: 'pay_1',
  orderId: 'ord_1',
  stripeId: 'pi_123',
  version: 1,
}
