import { outboxEvent } from '@ticketing/shared/platform'
import { type User } from '@ticketing/shared/auth'
import { TICKET_CREATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { newTicket, toEvent, type Ticket } from './ticket'

export type NewTicket = { title: string; description: string; price: number }

/** A seller lists a ticket: the owner relationship first, so a stored ticket is always editable by its seller. */
export async function createTicket(deps: Deps, seller: User, input: NewTicket): Promise<Ticket> {
  const ticket = newTicket({ id: deps.newId(), userId: seller.id, ...input }, deps.clock())
  await deps.permissions.grant([{ namespace: 'Ticket', object: ticket.id, relation: 'owners', subjectId: seller.id }])
  const data = toEvent(ticket)
  await deps.store.insert(ticket, [outboxEvent(TICKET_CREATED, data)])
  deps.relay.kick()
  return ticket
}
