import { ORDER_CANCELLED, ORDER_COMPLETED } from '@ticketing/shared/contracts'
import { outboxEvent } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { orderChanged } from './errors'
import { cancelForChangedTicket, settle, settledEvent, type Order } from './order'

const ATTEMPTS = 5

/**
 * Cancels or completes an order and records order.cancelled / order.completed with it: 'cancelled' (the buyer, the
 * expiry) and 'complete' (the payment) move a `created` order; 'ticket-changed' cancels a created or complete one
 * whose ticket was reserved for it with other terms. Returns the settled order, or the order as it is when it could
 * not move (nothing changes then).
 */
export async function settleOrder(deps: Deps, order: Order, to: 'cancelled' | 'complete' | 'ticket-changed'): Promise<Order> {
  const move = to === 'ticket-changed' ? cancelForChangedTicket : (o: Order, now: Date) => settle(o, to, now)
  let current = order
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const next = move(current, deps.clock())
    if (!next) return current
    const data = settledEvent(next)
    const topic = next.status === 'complete' ? ORDER_COMPLETED : ORDER_CANCELLED
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
