import { notFound, outboxEvent } from '@ticketing/shared/platform'
import { type User } from '@ticketing/shared/auth'
import { TICKET_UPDATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { ticketChanged, ticketReserved } from './errors'
import { edit, isReserved, toEvent, type Ticket, type TicketChanges } from './ticket'

/** A seller edits their ticket, unless an order holds it. */
export async function updateTicket(deps: Deps, user: User, id: string, changes: TicketChanges): Promise<Ticket> {
  const ticket = await deps.store.get(id)
  if (!ticket) throw notFound('Ticket')
  await deps.permissions.require('Ticket', id, 'edit', user.id)
  if (isReserved(ticket)) throw ticketReserved()

  const next = edit(ticket, changes, deps.clock())
  const data = toEvent(next)
  const stored = await deps.store.replace(next, ticket.version, [outboxEvent(TICKET_UPDATED, data)])
  if (!stored) throw ticketChanged()
  deps.relay.kick()
  return next
}
