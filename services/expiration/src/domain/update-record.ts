import type { ExpirationStore } from '../storage/expirations.store'
import type { Decision, ExpirationRecord } from './expiration'

const ATTEMPTS = 5

/**
 * Read-modify-write of one order's record under its ETag. When another writer got in first,
 * `decide` runs again on the fresh record; after a few lost races it throws, so the message is retried.
 */
export async function updateRecord(store: ExpirationStore, orderId: string, decide: (current: ExpirationRecord | null) => Decision): Promise<Decision> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await store.get(orderId)
    const decision = decide(current?.record ?? null)
    if (!decision.record || (await store.put(orderId, decision.record, current?.etag))) return decision
  }
  throw new Error(`the expiry record of order ${orderId} kept changing; it will be tried again`)
}
