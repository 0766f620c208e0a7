import { EXPIRATION_COMPLETED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { markExpired, shouldExpire } from './expiration'
import { updateRecord } from './update-record'

/**
 * The order's reminder fired: announce expiration.completed unless the order was settled meanwhile
 * (a delete that raced the firing). A failed publish throws, so the sidecar fires the reminder again.
 * Resolves to whether the event was published.
 */
export async function expireOrder(deps: Deps, orderId: string): Promise<boolean> {
  const current = await deps.store.get(orderId)
  if (!shouldExpire(current?.record ?? null)) return false
  // The publisher's default CloudEvent id, `expiration.completed/<orderId>`, makes a repeated firing the same event.
  await deps.publisher.publish(EXPIRATION_COMPLETED, { orderId })
  await updateRecord(deps.store, orderId, markExpired)
  return true
}
