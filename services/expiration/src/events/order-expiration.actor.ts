import { z } from 'zod'
import { childTraceparent, withTraceparent, type ReminderHandler } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { ACTOR_TYPE, REMINDER_NAME } from '../domain/expiration'
import { expireOrder } from '../domain/expire-order'

// What applyOrderEvent registered with the reminder; anything else there is ignored.
const reminderData = z.object({ traceparent: z.string() }).partial().catch({})

/** The actor types this service hosts: OrderExpiration, whose id is the order id, reacting to its `expire` reminder. */
export function actors(deps: Deps): Record<string, { onReminder: ReminderHandler }> {
  return {
    [ACTOR_TYPE]: {
      async onReminder(orderId, name, data) {
        if (name !== REMINDER_NAME) {
          // Answered 200: an unknown reminder would otherwise be fired again and again.
          deps.logger.warn({ orderId, reminder: name }, 'unknown reminder ignored')
          return
        }
        const traceparent = childTraceparent(reminderData.parse(data).traceparent)
        const published = await withTraceparent(traceparent, () => expireOrder(deps, orderId))
        deps.logger.info({ orderId, reminder: name, published }, 'order expiry handled')
      },
    },
  }
}
