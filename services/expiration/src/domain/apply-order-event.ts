import { currentTraceparent } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { ACTOR_TYPE, applyOrderFact, REMINDER_NAME, type OrderFact } from './expiration'
import { updateRecord } from './update-record'

/**
 * Records what an order event says, then schedules or deletes the order's reminder.
 * The record is written first: its version guard is what keeps late and repeated events harmless.
 */
export async function applyOrderEvent(deps: Deps, orderId: string, fact: OrderFact): Promise<void> {
  const { effect } = await updateRecord(deps.store, orderId, (current) => applyOrderFact(current, fact))
  if (effect.kind === 'schedule') {
    // The reminder keeps the order's trace, so the expiry it announces later continues it.
    const traceparent = currentTraceparent()
    await deps.reminders.schedule(ACTOR_TYPE, orderId, REMINDER_NAME, { dueTime: effect.dueTime, ...(traceparent ? { data: { traceparent } } : {}) })
  } else if (effect.kind === 'unschedule') {
    await deps.reminders.cancel(ACTOR_TYPE, orderId, REMINDER_NAME)
  }
}
