import { subscribe, type Subscription } from '@ticketing/shared/platform'
import { ORDER_CANCELLED, ORDER_COMPLETED, ORDER_CREATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { applyOrderEvent } from '../domain/apply-order-event'

/** order.created schedules the order's expiry; order.cancelled and order.completed unschedule it. */
export function subscriptions(deps: Deps): Subscription[] {
  return [
    subscribe(ORDER_CREATED, ({ id, version, status, expiresAt }) => applyOrderEvent(deps, id, { version, status, expiresAt })),
    subscribe(ORDER_CANCELLED, ({ id, version, status }) => applyOrderEvent(deps, id, { version, status })),
    subscribe(ORDER_COMPLETED, ({ id, version, status }) => applyOrderEvent(deps, id, { version, status })),
  ]
}
