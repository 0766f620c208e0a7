import { subscribe, type Subscription } from '@ticketing/shared/platform'
import { ORDER_CANCELLED, ORDER_COMPLETED, ORDER_CREATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { applyOrderEvent } from '../domain/apply-order-event'

/** The order replica follows order.created, order.cancelled and order.completed (so a complete order reads as paid). */
export function subscriptions(deps: Deps): Subscription[] {
  return [
    subscribe(ORDER_CREATED, (event, meta) => applyOrderEvent(deps, event, meta.log)),
    subscribe(ORDER_CANCELLED, (event, meta) => applyOrderEvent(deps, event, meta.log)),
    subscribe(ORDER_COMPLETED, (event, meta) => applyOrderEvent(deps, event, meta.log)),
  ]
}
