import { z } from 'zod'
import { id, version } from './common'

export const ORDER_CANCELLED = 'order.cancelled'

export const orderCancelledSchema = z.object({
  id,
  userId: id,
  status: z.literal('cancelled'),
  version,
  ticket: z.object({ id }),
})

export type OrderCancelled = z.infer<typeof orderCancelledSchema>

export const orderCancelledExample: OrderCancelled = {
  id: 'ord_1',
  userId: 'usr_buyer',
  status: 'cancelled',
  version: 2,
  ticket: { id: 'tkt_1' },
}
