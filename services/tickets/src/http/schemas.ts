import { z } from '@hono/zod-openapi'
import { MAX_PRICE, MIN_PRICE } from '@ticketing/shared/contracts'

const title = z
  .string()
  .trim()
  .min(3, 'A title needs at least 3 characters')
  .max(120, 'A title has at most 120 characters')
  .openapi({ example: 'Radiohead, Berlin, 12 June' })
const description = z.string().trim().max(2000, 'A description has at most 2000 characters').openapi({ example: 'Standing, block B' })
const price = z
  .number('A price is a whole number of cents')
  .int('A price is a whole number of cents')
  .min(MIN_PRICE, `A price is at least ${MIN_PRICE} cents, the least Stripe charges`)
  .max(MAX_PRICE, `A price is at most ${MAX_PRICE} cents, the most Stripe charges`)
  .openapi({ description: `Price in cents: an integer from ${MIN_PRICE} to ${MAX_PRICE}`, example: 8900 })

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
