import type { Deps } from '../deps'
import { refused } from './errors'
import type { OrderReplica } from './order'
import { idempotencyKeys } from './payment'

/**
 * The order's one PaymentIntent: the one recorded on the replica, or a new one. Concurrent first attempts get the
 * same intent from Stripe (same key), and the guarded record keeps the first id should Stripe ever answer another.
 */
export async function openIntent(deps: Deps, order: OrderReplica & { price: number }): Promise<string> {
  if (order.intentId) return order.intentId
  const created = await deps.gateway.createIntent({
    amount: order.price,
    currency: deps.currency,
    metadata: { orderId: order.id, userId: order.userId },
    idempotencyKey: idempotencyKeys.intent(order.id),
  })
  if (created.status === 'rejected') throw refused(created)
  return deps.store.recordIntent(order.id, created.id)
}
