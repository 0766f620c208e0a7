import type { Deps } from '../deps'
import { refused } from './errors'
import type { CreatedOrder } from './order'
import { idempotencyKeys } from './payment'

/** Creates an unconfirmed intent for the order's price under the given key; Stripe's refusal is thrown. */
async function createIntent(deps: Deps, order: CreatedOrder, idempotencyKey: string): Promise<string> {
  const created = await deps.gateway.createIntent({
    amount: order.price,
    currency: deps.currency,
    metadata: { orderId: order.id, userId: order.userId },
    idempotencyKey,
  })
  if (created.status === 'rejected') throw refused(created)
  return created.id
}

/**
 * The order's one PaymentIntent: the one recorded on the replica, or a new one. Concurrent first attempts get the
 * same intent from Stripe (same key), and the guarded record keeps the first id should Stripe ever answer another.
 */
export async function openIntent(deps: Deps, order: CreatedOrder): Promise<string> {
  if (order.intentId) return order.intentId
  return deps.store.swapIntent(order.id, undefined, await createIntent(deps, order, idempotencyKeys.intent(order.id)))
}

/**
 * The intent that takes over from a canceled one. A canceled intent can never be charged, so the order still has at
 * most one chargeable intent. Attempts that find the same intent canceled get the same new one (same key), and the
 * compare-and-set keeps whatever another attempt recorded first.
 */
export async function replaceIntent(deps: Deps, order: CreatedOrder, canceledId: string): Promise<string> {
  const created = await createIntent(deps, order, idempotencyKeys.replacing(order.id, canceledId))
  return deps.store.swapIntent(order.id, canceledId, created)
}
