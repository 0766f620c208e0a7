import { z } from '@hono/zod-openapi'
import { MAX_PRICE, MIN_PRICE } from '@ticketing/shared/contracts'

const title = z.string().trim().min(3).max(120).openapi({ example: 'Radiohead, Berlin, 12 June' })
const description = z.string().trim().max(2000).openapi({ example: 'Standing, block B' })
const price = z.number().int().min(MIN_PRICE).max(MAX_PRICE).openapi({ description: 'Price in cents: an integer from 50 (the least Stripe charges)', example: 8900 })

export const NewTicketBody = z.strictObject({ title, description: description.default(''), price }).openapi('NewTicket')

export const TicketChangesBody = z
  .strictObject({ title: title.optional(), description: description.optional(), price: price.optional() })
  .refine((body) => Object.keys(body).length > 0, { message: 'Change at least one of title, description, price' })
  .openapi('TicketChanges')

export const TicketSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    price: z.number().int(),
    userId: z.string(),
    orderId: z.string().nullable().openapi({ description: 'The order holding the ticket, null when free' }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Ticket')

export const SearchQuery = z.object({
  q: z.string().trim().max(120).optional().openapi({ description: 'Part of the title, any case' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
})

export const TicketPage = z.object({ items: z.array(TicketSchema), nextCursor: z.string().nullable() }).openapi('TicketPage')
