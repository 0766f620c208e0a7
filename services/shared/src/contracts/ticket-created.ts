import { z } from 'zod'
import { cents, id, version } from './common'

export const TICKET_CREATED = 'ticket.created'

/** Full state of a ticket, carried by ticket.created and ticket.updated. */
export const ticketEventSchema = z.object({
  id,
  title: z.string().min(1),
  description: z.string(),
  price: cents,
  userId: id,
  orderId: id.optional(),
  version,
})

export type TicketCreated = z.infer<typeof ticketEventSchema>

export const ticketCreatedExample: TicketCreated = {
  id: 'tkt_1',
  title: 'Radiohead, Berlin, 12 June',
  description: 'Standing, block B',
  price: 8900,
  userId: 'usr_seller',
  version: 1,
}
