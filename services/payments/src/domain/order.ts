import type { OrderCancelled, OrderCompleted, OrderCreated, OrderStatus } from '@ticketing/shared/contracts'

/**
 * What payments knows of an order, from its events. The price comes with order.created only,
 * so it is missing while a later event (cancelled, complete) is all that has arrived.
 */
export type OrderReplica = { id: string; userId: string; status: OrderStatus; version: number; price?: number }

/** The replica fields an order event carries; fields it does not carry are left as they are. */
export function replicaOf(event: OrderCreated | OrderCancelled | OrderCompleted): OrderReplica {
  const { id, userId, status, version } = event
  return { id, userId, status, version, ...('price' in event.ticket ? { price: event.ticket.price } : {}) }
}

/** The fields an update sets: an absent price (even one spelled `undefined`) must not erase the held one. */
export function fieldsToSet(order: OrderReplica): OrderReplica {
  const { price, ...rest } = order
  return price === undefined ? rest : { ...rest, price }
}

/** Applies an event's fields when it is newer than what is held; null when it is not (a repeat or a late arrival). */
export function applyReplica(held: OrderReplica | null, incoming: OrderReplica): OrderReplica | null {
  if (held && held.version >= incoming.version) return null
  return { ...held, ...fieldsToSet(incoming) }
}

export type PayableVerdict = 'payable' | 'cancelled' | 'paid'

/** Whether an order can be paid now, given whether a payment already exists for it. A cancelled order is never paid. */
export function payability(order: OrderReplica, alreadyPaid: boolean): PayableVerdict {
  if (order.status === 'cancelled') return 'cancelled'
  if (alreadyPaid || order.status === 'complete') return 'paid'
  return 'payable'
}
