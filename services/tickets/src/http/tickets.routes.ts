import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { IdParam, jsonBody as body, jsonResponse as json, notFound, problemResponse as problem, validationHook } from '@ticketing/shared/platform'
import { requireUser } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { createTicket } from '../domain/create-ticket'
import { searchTickets } from '../domain/search-tickets'
import type { Ticket } from '../domain/ticket'
import { updateTicket } from '../domain/update-ticket'
import { decodeCursor, encodeCursor } from './cursor'
import { NewTicketBody, SearchQuery, TicketChangesBody, TicketPage, TicketSchema } from './schemas'

/** The ticket as the API shows it: no internal bookkeeping, `orderId` null when free. */
export const present = ({ holds: _holds, orderId, ...ticket }: Ticket) => ({ ...ticket, orderId: orderId ?? null })

const create = createRoute({
  method: 'post', path: '/', request: body(NewTicketBody),
  responses: { 201: json(TicketSchema, 'Listed'), 400: problem('Invalid fields'), 401: problem('Not signed in') },
})
const search = createRoute({
  method: 'get', path: '/', request: { query: SearchQuery },
  responses: { 200: json(TicketPage, 'A page of tickets, newest first'), 400: problem('Invalid query') },
})
const get = createRoute({
  method: 'get', path: '/{id}', request: { params: IdParam },
  responses: { 200: json(TicketSchema, 'The ticket'), 404: problem('No such ticket') },
})
const update = createRoute({
  method: 'patch', path: '/{id}', request: { params: IdParam, ...body(TicketChangesBody) },
  responses: {
    200: json(TicketSchema, 'Edited'), 400: problem('Invalid fields'), 401: problem('Not signed in'),
    403: problem('Not the seller'), 404: problem('No such ticket'), 409: problem('Reserved, or changed meanwhile'),
  },
})

/** `/api/tickets` routes. */
export function ticketsRoutes(deps: Deps) {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  const signedIn = requireUser(deps.identify)
  app.on(['POST', 'PATCH'], '/*', signedIn)

  app.openapi(create, async (c) => {
    const ticket = await createTicket(deps, c.var.user, c.req.valid('json'))
    return c.json(present(ticket), 201, { Location: `/api/tickets/${ticket.id}` })
  })
  app.openapi(search, async (c) => {
    const { q, limit, cursor } = c.req.valid('query')
    const page = await searchTickets(deps, { q, limit, after: cursor === undefined ? undefined : decodeCursor(cursor) })
    return c.json({ items: page.items.map(present), nextCursor: page.nextAfter && encodeCursor(page.nextAfter) }, 200)
  })
  app.openapi(get, async (c) => {
    const ticket = await deps.store.get(c.req.valid('param').id)
    if (!ticket) throw notFound('Ticket')
    return c.json(present(ticket), 200)
  })
  app.openapi(update, async (c) => {
    const ticket = await updateTicket(deps, c.var.user, c.req.valid('param').id, c.req.valid('json'))
    return c.json(present(ticket), 200)
  })
  return app
}
