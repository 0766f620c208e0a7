import { subscribe, type Subscription } from '@ticketing/shared/platform'
import { ORDER_CANCELLED, ORDER_CREATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { applyOrderEvent } from '../domain/apply-order-event'

/** order.created reserves the ticket; order.cancelled releases it. */
export function subscriptions(deps: Deps): Subscription[] {
  return [
    subscribe(ORDER_CREATED, ({ id, version, status, ticket }) => applyOrderEvent(deps, ticket.id, { id, version, status })),
    subscribe(ORDER_CANCELLED, ({ id, version, status, ticket }) => applyOrderEvent(deps, ticket.id, { id, version, status })),
  ]
}
