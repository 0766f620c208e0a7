import { ORDER_CREATED } from '@ticketing/shared/contracts'
import { forbidden, notFound, outboxEvent } from '@ticketing/shared/platform'
import { type User } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { ticketReserved } from './errors'
import { createdEvent, placeOrder, type Order } from './order'

/** A buyer reserves a ticket. The store's unique hold per ticket settles races: one order, the rest 409. */
export async function createOrder(deps: Deps, buyer: User, ticketId: string): Promise<Order> {
  const ticket = await deps.tickets.get(ticketId)
  if (!ticket) throw notFound('Ticket')
  // The replica knows the seller, so the owner rule holds even when Keto wrongly says yes (on `dsn: memory`, a
  // conflict reads as "not an owner", and the negated permit then allows); the answer is Keto's own denial.
  if (ticket.userId === buyer.id) throw forbidden()
  // Keto's `order` permit: everyone but the ticket's owners.
  await deps.permissions.require('Ticket', ticketId, 'order', buyer.id)

  const order = placeOrder({ id: deps.newId(), userId: buyer.id, ticket }, deps.expirationWindowSeconds, deps.clock())
  // Relationships first: a stored order is always visible to its buyer and seller.
  const relationships = [
    { namespace: 'Order', object: order.id, relation: 'owners', subjectId: buyer.id },
    { namespace: 'Order', object: order.id, relation: 'parents', subjectSet: { namespace: 'Ticket', object: ticketId, relation: '' } },
  ]
  await deps.permissions.grant(relationships)
  const data = createdEvent(order)
  const outcome = await deps.orders.insert(order, [outboxEvent(ORDER_CREATED, data)])
  if (outcome === 'ticket-held') {
    // The order was never stored; leaving its relationships would only clutter Keto.
    await deps.permissions.revoke(relationships).catch((err) => deps.logger.warn({ err, orderId: order.id }, 'could not remove relationships'))
    throw ticketReserved()
  }
  deps.relay.kick()
  return order
}
