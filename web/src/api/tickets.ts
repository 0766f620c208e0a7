import type { components, paths } from './generated/tickets'
import { bodyOf, createApiClient } from './http'

type Schemas = components['schemas']
export type Ticket = Schemas['Ticket']
/** What the seller's form sets on a new ticket. */
export type TicketFields = Schemas['NewTicket']
/** Some of a ticket's fields, for an edit. */
export type TicketChanges = Schemas['TicketChanges']
export type TicketPage = Schemas['TicketPage']

const tickets = createApiClient<paths>()

/** GET /api/tickets: newest first, one page at a time. */
export function searchTickets(params: { q?: string; limit?: number; cursor?: string | null }): Promise<TicketPage> {
  // Empty values are left out of the query rather than sent as `q=`.
  const query = { q: params.q?.trim() || undefined, limit: params.limit || undefined, cursor: params.cursor || undefined }
  return bodyOf(tickets.GET('/api/tickets', { params: { query } }))
}

/** GET /api/tickets/:id */
export const getTicket = (id: string) => bodyOf(tickets.GET('/api/tickets/{id}', { params: { path: { id } } }))

/** POST /api/tickets: lists a ticket for sale as the signed-in person. */
export const createTicket = (fields: TicketFields) => bodyOf(tickets.POST('/api/tickets', { body: fields }))

/** PATCH /api/tickets/:id: the seller changes a ticket that no order holds. */
export const updateTicket = (id: string, changes: TicketChanges) =>
  bodyOf(tickets.PATCH('/api/tickets/{id}', { params: { path: { id } }, body: changes }))
