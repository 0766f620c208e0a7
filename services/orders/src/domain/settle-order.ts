import { ORDER_CANCELLED, ORDER_COMPLETED } from '@ticketing/shared/contracts'
import { outboxEvent } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { orderChanged } from './errors'
import { settle, settledEvent, type Order } from './order'

const ATTEMPTS = 5

/**
 * Cancels or completes a `created` order and records order.cancelled / order.completed with it.
 * Returns the settled order, or the order as it is when it had settled already (nothing changes then).
 */
export async function settleOrder(deps: Deps, order: Order, to: 'cancelled' | 'complete'): Promise<Order> {
  let current = order
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const next = settle(current, to, deps.clock())
    if (!next) return current
    const data = settledEvent(next)
    const topic = to === 'complete' ? ORDER_COMPLETED : ORDER_CANCELLED
    if (await deps.orders.replace(next, current.version, [outboxEvent(topic, data)])) {
      deps.relay.kick()
      return next
    }
    const reloaded = await deps.orders.get(order.id)
    if (!reloaded) break
    current = reloaded
  }
  // 409 to a person; to an event handler, a failure that is retried.
  throw orderChanged()
}
