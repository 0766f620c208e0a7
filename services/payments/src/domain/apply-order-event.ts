import type { OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { replicaOf } from './order'

/** Keeps the order replica up to date; repeated and late events change nothing, by version. */
export async function applyOrderEvent(deps: Deps, event: OrderCreated | OrderCancelled | OrderCompleted): Promise<void> {
  await deps.store.applyOrder(replicaOf(event))
}
