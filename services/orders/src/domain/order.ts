import type { OrderCancelled, OrderCompleted, OrderCreated, OrderStatus } from '@ticketing/shared/contracts'

export type Order = {
  id: string
  userId: string
  status: OrderStatus
  version: number
  expiresAt: string
  createdAt: string
  updatedAt: string
  /** What was bought, as it was when the order was placed. */
  ticket: { id: string; title: string; price: number; sellerId: string }
}

/** The orders service's copy of a ticket, kept from ticket events. */
export type TicketReplica = { id: string; title: string; price: number; userId: string; version: number }

/** A new order holding `ticket` until `windowSeconds` from now. */
export function placeOrder(fields: { id: string; userId: string; ticket: TicketReplica }, windowSeconds: number, now: Date): Order {
  const at = now.toISOString()
  const { id, title, price, userId: sellerId } = fields.ticket
  return {
    id: fields.id,
    userId: fields.userId,
    status: 'created',
    version: 1,
    expiresAt: new Date(now.getTime() + windowSeconds * 1000).toISOString(),
    createdAt: at,
    updatedAt: at,
    ticket: { id, title, price, sellerId },
  }
}

/** Only an order still waiting for payment can be cancelled (by its buyer, or by expiry). */
export const canCancel = (order: Order) => order.status === 'created'

/** Moves a `created` order to `to`; null when the order has already settled (complete is never cancelled, cancelled never paid). */
export function settle(order: Order, to: 'cancelled' | 'complete', now: Date): Order | null {
  if (order.status !== 'created') return null
  return { ...order, status: to, version: order.version + 1, updatedAt: now.toISOString() }
}

export function createdEvent(order: Order): OrderCreated {
  const { id, userId, expiresAt, version, ticket } = order
  return { id, userId, status: 'created', expiresAt, version, ticket: { id: ticket.id, price: ticket.price } }
}

export function settledEvent(order: Order): OrderCancelled | OrderCompleted {
  const base = { id: order.id, userId: order.userId, version: order.version, ticket: { id: order.ticket.id } }
  return order.status === 'complete' ? { ...base, status: 'complete' } : { ...base, status: 'cancelled' }
}
