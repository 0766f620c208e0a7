import type { OrderCancelled, OrderCompleted, OrderCreated, OrderStatus } from '@ticketing/shared/contracts'

/** Why an order was cancelled, when it was not its buyer or its expiry: the ticket was reserved for it with other terms. */
export type CancellationReason = 'ticket-changed'

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
  cancellationReason?: CancellationReason
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

/** Whether the ticket, as an event shows it, has the title and price the order was placed at. */
export const sameTerms = (order: Order, ticket: { title: string; price: number }) =>
  order.ticket.title === ticket.title && order.ticket.price === ticket.price

/**
 * Cancels an order still waiting for payment whose ticket was reserved for it with other terms than the order's
 * (the seller's edit reached tickets before the order did). A complete order stands, as every complete order does:
 * its buyer paid the order's own price, the one they were shown. Null when there is nothing to cancel.
 */
export function cancelForChangedTicket(order: Order, now: Date): Order | null {
  if (order.status !== 'created') return null
  return { ...order, status: 'cancelled', cancellationReason: 'ticket-changed', version: order.version + 1, updatedAt: now.toISOString() }
}

export function createdEvent(order: Order): OrderCreated {
  const { id, userId, expiresAt, version, ticket } = order
  return { id, userId, status: 'created', expiresAt, version, ticket: { id: ticket.id, price: ticket.price } }
}

export function settledEvent(order: Order): OrderCancelled | OrderCompleted {
  const base = { id: order.id, userId: order.userId, version: order.version, ticket: { id: order.ticket.id } }
  return order.status === 'complete' ? { ...base, status: 'complete' } : { ...base, status: 'cancelled' }
}
