import type { z } from 'zod'
import { ticketEventSchema, ticketCreatedExample } from './ticket-created'

export const TICKET_UPDATED = 'ticket.updated'

export const ticketUpdatedSchema = ticketEventSchema

export type TicketUpdated = z.infer<typeof ticketUpdatedSchema>

export const ticketUpdatedExample: TicketUpdated = {
  ...ticketCreatedExample,
  orderId: 'ord_1',
  version: 2,
}
