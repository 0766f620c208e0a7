import { z } from 'zod'
import { cents, id, version } from './common'

export const ORDER_CREATED = 'order.created'

export const orderStatus = z.enum(['created', 'cancelled', 'complete'])
export type OrderStatus = z.infer<typeof orderStatus>

export const orderCreatedSchema = z.object({
  id,
  userId: id,
  status: z.literal('created'),
  expiresAt: z.iso.datetime(),
  version,
  ticket: z.object({ id, price: cents }),
})

export type OrderCreated = z.infer<typeof orderCreatedSchema>

export const orderCreatedExample: OrderCreated = {
  id: 'ord_1',
  userId: 'usr_buyer',
  status: 'created',
  expiresAt: '2026-06-01T10:15:00.000Z',
  version: 1,
  ticket: { id: 'tkt_1', price: 8900 },
}
