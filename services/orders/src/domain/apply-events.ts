import type { ExpirationCompleted, PaymentCreated, TicketCreated } from '@ticketing/shared/contracts'
import { PoisonMessageError, type EventMeta } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { settleOrder } from './settle-order'

/** Keeps the ticket replica: a newer version replaces the copy, older or equal ones are ignored. */
export async function recordTicket(deps: Deps, { id, title, price, userId, version }: TicketCreated): Promise<void> {
  await deps.tickets.upsert({ id, title, price, userId, version })
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
