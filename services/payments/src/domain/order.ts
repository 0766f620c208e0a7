import type { OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/shared/contracts'

type ReplicaFields = { id: string; userId: string; version: number; intentId?: string }

/**
 * What payments knows of a created order. Only order.created makes a replica `created` (a newer event settles it,
 * an older one changes nothing), and it carries the price and the reservation's end.
 * `intentId` is the order's one Stripe PaymentIntent, recorded by payments itself on the first attempt to pay.
 */
export type CreatedOrder = ReplicaFields & { status: 'created'; price: number; expiresAt: string }

/** A settled order: its price and end are known only if order.created arrived before the event that settled it. */
export type SettledOrder = ReplicaFields & { status: 'cancelled' | 'complete'; price?: number; expiresAt?: string }

/** What payments knows of an order, from its events. */
export type OrderReplica = CreatedOrder | SettledOrder

/** The replica fields an order event carries; fields it does not carry are left as they are. */
export function replicaOf(event: OrderCreated | OrderCancelled | OrderCompleted): OrderReplica {
  const { id, userId, version } = event
  return event.status === 'created'
    ? { id, userId, version, status: event.status, price: event.ticket.price, expiresAt: event.expiresAt }
    : { id, userId, version, status: event.status }
}

/**
 * The fields an event's update sets: an absent price or end (even one spelled `undefined`) must not erase the
 * held one, and the intent id is never an event's to set.
 */
export function fieldsToSet(order: OrderReplica): OrderReplica {
  const { id, userId, version } = order
  if (order.status === 'created') return { id, userId, version, status: order.status, price: order.price, expiresAt: order.expiresAt }
  const { price, expiresAt } = order
  return { id, userId, version, status: order.status, ...(price === undefined ? {} : { price }), ...(expiresAt === undefined ? {} : { expiresAt }) }
}

export type Payability = { verdict: 'payable'; order: CreatedOrder } | { verdict: 'cancelled' | 'paid' | 'expired' }

/**
 * Whether an order can be paid now, given whether a payment already exists for it; a payable order is a created one,
 * so it has its price. A cancelled order is never paid; once the reservation has ended the orders service is about to
 * cancel it, so it is not charged either.
 */
export function payability(order: OrderReplica, alreadyPaid: boolean, now: Date): Payability {
  if (order.status === 'cancelled') return { verdict: 'cancelled' }
  if (alreadyPaid || order.status !== 'created') return { verdict: 'paid' }
  if (now.getTime() >= Date.parse(order.expiresAt)) return { verdict: 'expired' }
  return { verdict: 'payable', order }
}
