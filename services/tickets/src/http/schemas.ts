import { z } from '@hono/zod-openapi'
import { MAX_PRICE, MIN_PRICE } from '@ticketing/shared/contracts'

// Others read these texts: no invisible controls (NUL, escape sequences), and nothing that reorders what
// follows, so a listing cannot show one title and mean another (as "Trojan Source" does with code).
const anyControl = /\p{Cc}/u
const controlButLineBreakOrTab = /(?![\n\t])\p{Cc}/u
const bidiControl = /[\u202A-\u202E\u2066-\u2069]/u
const noBidi = (what: string) =>
  `${what} cannot contain characters that reorder text (bidirectional overrides or isolates, U+202A–U+202E, U+2066–U+2069)`

const title = z
  .string()
  .trim()
  .min(3, 'A title needs at least 3 characters')
  .max(120, 'A title has at most 120 characters')
  .refine((text) => !anyControl.test(text), 'A title cannot contain control characters such as NUL, escape or line breaks')
  .refine((text) => !bidiControl.test(text), noBidi('A title'))
  .openapi({ example: 'Radiohead, Berlin, 12 June' })
const description = z
  .string()
  .trim()
  .max(2000, 'A description has at most 2000 characters')
  .refine((text) => !controlButLineBreakOrTab.test(text), 'A description cannot contain control characters other than line breaks and tabs')
  .refine((text) => !bidiControl.test(text), noBidi('A description'))
  .openapi({ example: 'Standing, block B' })
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
