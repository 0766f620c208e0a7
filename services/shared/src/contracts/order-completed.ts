import { z } from 'zod'
import { id, version } from './common'

export const ORDER_COMPLETED = 'order.completed'

export const orderCompletedSchema = z.object({
  id,
  userId: id,
  status: z.literal('complete'),
  version,
  ticket: z.object({ id }),
})

export type OrderCompleted = z.infer<typeof orderCompletedSchema>

export const orderCompletedExample: OrderCompleted = {
  id: 'ord_1',
  userId: 'usr_buyer',
  status: 'complete',
  version: 2,
  ticket: { id: 'tkt_1' },
}
