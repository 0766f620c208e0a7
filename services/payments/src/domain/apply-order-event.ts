import type { OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/shared/contracts'
import type { Logger } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { replicaOf } from './order'
import { refundIfCancelled } from './refund-cancelled-order'

/**
 * Keeps the order replica up to date; repeated and late events change nothing, by version. A cancellation gives back
 * a payment that raced it; this is checked on every delivery, so a refund that failed is retried with the event.
 */
export async function applyOrderEvent(deps: Deps, event: OrderCreated | OrderCancelled | OrderCompleted, log: Logger): Promise<void> {
  await deps.store.applyOrder(replicaOf(event))
  if (event.status === 'cancelled') await refundIfCancelled(deps, event.id, log)
}
