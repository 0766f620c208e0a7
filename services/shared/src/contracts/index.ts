import type { z } from 'zod'
import { EXPIRATION_COMPLETED, expirationCompletedExample, expirationCompletedSchema } from './expiration-completed'
import { ORDER_CANCELLED, orderCancelledExample, orderCancelledSchema } from './order-cancelled'
import { ORDER_COMPLETED, orderCompletedExample, orderCompletedSchema } from './order-completed'
import { ORDER_CREATED, orderCreatedExample, orderCreatedSchema } from './order-created'
import { PAYMENT_CREATED, paymentCreatedExample, paymentCreatedSchema } from './payment-created'
import { TICKET_CREATED, ticketCreatedExample, ticketEventSchema } from './ticket-created'
import { TICKET_UPDATED, ticketUpdatedExample, ticketUpdatedSchema } from './ticket-updated'

export * from './common'
export * from './expiration-completed'
export * from './order-cancelled'
export * from './order-completed'
export * from './order-created'
export * from './payment-created'
export * from './ticket-created'
export * from './ticket-updated'

/** Every topic with its payload schema and a valid example: the one list publishers and subscribers share. */
export const topics = {
  [TICKET_CREATED]: { schema: ticketEventSchema, example: ticketCreatedExample },
  [TICKET_UPDATED]: { schema: ticketUpdatedSchema, example: ticketUpdatedExample },
  [ORDER_CREATED]: { schema: orderCreatedSchema, example: orderCreatedExample },
  [ORDER_CANCELLED]: { schema: orderCancelledSchema, example: orderCancelledExample },
  [ORDER_COMPLETED]: { schema: orderCompletedSchema, example: orderCompletedExample },
  [EXPIRATION_COMPLETED]: { schema: expirationCompletedSchema, example: expirationCompletedExample },
  [PAYMENT_CREATED]: { schema: paymentCreatedSchema, example: paymentCreatedExample },
} as const

export type Topic = keyof typeof topics
export type EventOf<T extends Topic> = z.infer<(typeof topics)[T]['schema']>
