import type { ExpirationCompleted, PaymentCreated, TicketCreated } from '@ticketing/shared/contracts'
import { PoisonMessageError, type EventMeta } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { sameTerms } from './order'
import { settleOrder } from './settle-order'

/**
 * Keeps the ticket replica: a newer version replaces the copy, older or equal ones are ignored. A ticket held by one
 * of our orders is checked against that order, whatever its version (see `checkReservation`).
 */
export async function recordTicket(deps: Deps, ticket: TicketCreated, meta: EventMeta): Promise<void> {
  const { id, title, price, userId, version } = ticket
  await deps.tickets.upsert({ id, title, price, userId, version })
  if (ticket.orderId) await checkReservation(deps, ticket, ticket.orderId, meta)
}

/**
 * An order stands only if the ticket, once reserved for it, shows the title and price the order was placed at.
 * Tickets refuses edits while a ticket is held, so every event naming the holder carries the terms it was reserved
 * with: repeats and late arrivals give the same verdict. A seller's edit that reached tickets before the order did
 * shows up here, and an order still waiting for payment is cancelled as 'ticket-changed'; a paid one stands.
 */
async function checkReservation(deps: Deps, ticket: TicketCreated, orderId: string, meta: EventMeta): Promise<void> {
  const order = await deps.orders.get(orderId)
  if (!order || order.ticket.id !== ticket.id || sameTerms(order, ticket)) return
  const settled = await settleOrder(deps, order, 'ticket-changed')
  if (settled.version === order.version) return
  meta.log.warn(
    { orderId, ticketId: ticket.id, ordered: { title: order.ticket.title, price: order.ticket.price }, reserved: { title: ticket.title, price: ticket.price }, was: order.status },
    'the ticket changed before the order reached it; order cancelled',
  )
}

/** The reservation ran out: cancel the order if it still waits for payment. */
export async function expireOrder(deps: Deps, { orderId }: ExpirationCompleted): Promise<void> {
  const order = await deps.orders.get(orderId)
  if (!order) throw new PoisonMessageError(`expiration of unknown order ${orderId}`)
  await settleOrder(deps, order, 'cancelled')
}

/** The buyer paid: complete the order. A payment for an order cancelled meanwhile stays cancelled: payments refunds it. */
export async function completeOrder(deps: Deps, payment: PaymentCreated, meta: EventMeta): Promise<void> {
  const order = await deps.orders.get(payment.orderId)
  if (!order) throw new PoisonMessageError(`payment ${payment.id} for unknown order ${payment.orderId}`)
  const settled = await settleOrder(deps, order, 'complete')
  if (settled.status === 'cancelled') {
    meta.log.warn({ orderId: order.id, paymentId: payment.id, stripeId: payment.stripeId }, 'payment for a cancelled order; payments refunds it on order.cancelled')
  }
}
