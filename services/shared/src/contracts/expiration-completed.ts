import { z } from 'zod'
import { id } from './common'

export const EXPIRATION_COMPLETED = 'expiration.completed'

export const expirationCompletedSchema = z.object({ orderId: id })

export type ExpirationCompleted = z.infer<typeof expirationCompletedSchema>

export const expirationCompletedExample: ExpirationCompleted = { orderId: 'ord_1' }
