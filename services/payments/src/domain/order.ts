import type { OrderCancelled, OrderCompleted, OrderCreated, OrderStatus } from '@ticketing/shared/contracts'

/**
 * What payments knows of an order, from its events. The price and the reservation's end come with
 * order.created only, so they are missing while a later event (cancelled, complete) is all that has arrived.
 * `intentId` is the order's one Stripe PaymentIntent, recorded by payments itself on the first attempt to pay.
 */
export type OrderReplica = {
  id: string
  userId: string
  status: OrderStatus
  version: number
  price?: number
  expiresAt?: string
  intentId?: string
}

/** The replica fields an order event carries; fields it does not carry are left as they are. */
export function replicaOf(event: OrderCreated | OrderCancelled | OrderCompleted): OrderReplica {
  const { id, userId, status, version } = event
  return {
    id, userId, status, version,
    ...('price' in event.ticket ? { price: event.ticket.price } : {}),
    ...('expiresAt' in event ? { expiresAt: event.expiresAt } : {}),
  }
}

/**
 * The fields an event's update sets: an absent price or end (even one spelled `undefined`) must not erase the
 * held one, and the intent id is never an event's to set.
 */
export function fieldsToSet({ price, expiresAt, intentId: _ours, ...rest }: OrderReplica): OrderReplica {
  return { ...rest, ...(price === undefined ? {} : { price }), ...(expiresAt === undefined ? {} : { expiresAt }) }
}

/** Applies an event's fields when it is newer than what is held; null when it is not (a repeat or a late arrival). */
export function applyReplica(held: OrderReplica | null, incoming: OrderReplica): OrderReplica | null {
  if (held && held.version >= incoming.version) return null
  return { ...held, ...fieldsToSet(incoming) }
}

export type PayableVerdict = 'payable' | 'cancelled' | 'paid' | 'expired'

/**
 * Whether an order can be paid now, given whether a payment already exists for it. A cancelled order is never paid;
 * once the reservation has ended the orders service is about to cancel it, so it is not charged either.
 */
export function payability(order: OrderReplica, alreadyPaid: boolean, now: Date): PayableVerdict {
  if (order.status === 'cancelled') return 'cancelled'
  if (alreadyPaid || order.status === 'complete') return 'paid'
  if (order.expiresAt !== undefined && now.getTime() >= Date.parse(order.expiresAt)) return 'expired'
  return 'payable'
}
