import { z } from '@hono/zod-openapi'

export const NewOrderBody = z.strictObject({ ticketId: z.string().min(1).max(128).openapi({ example: '01932f4e-…' }) }).openapi('NewOrder')

export const OrderSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    status: z.enum(['created', 'cancelled', 'complete']),
    version: z.number().int(),
    expiresAt: z.string().openapi({ description: 'When an unpaid order is cancelled' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    ticket: z.object({ id: z.string(), title: z.string(), price: z.number().int(), sellerId: z.string() }),
    cancellationReason: z.enum(['ticket-changed']).optional().openapi({
      description: 'Set when the order was cancelled because the seller changed the ticket before the order reached it',
    }),
  })
  .openapi('Order')

export const OrderList = z.object({ items: z.array(OrderSchema) }).openapi('OrderList')

export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) })
