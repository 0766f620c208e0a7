import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { IdParam, jsonBody, jsonResponse as json, notFound, problemResponse as problem, validationHook } from '@ticketing/shared/platform'
import { requireUser } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { cancelOrder } from '../domain/cancel-order'
import { createOrder } from '../domain/create-order'
import { ListQuery, NewOrderBody, OrderList, OrderSchema } from './schemas'

const signedIn = { 401: problem('Not signed in') }

const create = createRoute({
  method: 'post', path: '/',
  request: jsonBody(NewOrderBody),
  responses: {
    201: json(OrderSchema, 'Reserved until expiresAt'), 400: problem('Invalid fields'), ...signedIn,
    403: problem('Your own ticket'), 404: problem('No such ticket'), 409: problem('Someone else holds the ticket'),
  },
})
const mine = createRoute({
  method: 'get', path: '/', request: { query: ListQuery },
  responses: { 200: json(OrderList, 'My orders, newest first'), ...signedIn },
})
const sales = createRoute({
  method: 'get', path: '/sales', request: { query: ListQuery },
  responses: { 200: json(OrderList, 'Orders on my tickets, newest first'), ...signedIn },
})
const get = createRoute({
  method: 'get', path: '/{id}', request: { params: IdParam },
  responses: { 200: json(OrderSchema, 'The order'), ...signedIn, 403: problem('Neither buyer nor seller'), 404: problem('No such order') },
})
const cancel = createRoute({
  method: 'delete', path: '/{id}', request: { params: IdParam },
  responses: {
    200: json(OrderSchema, 'Cancelled'), ...signedIn, 403: problem('Not the buyer'), 404: problem('No such order'),
    409: problem('Already complete or cancelled'),
  },
})

/** `/api/orders` routes. */
export function ordersRoutes(deps: Deps) {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  app.use('*', requireUser(deps.identify))

  app.openapi(create, async (c) => {
    const order = await createOrder(deps, c.var.user, c.req.valid('json').ticketId)
    return c.json(order, 201, { Location: `/api/orders/${order.id}` })
  })
  app.openapi(mine, async (c) => c.json({ items: await deps.orders.listByBuyer(c.var.user.id, c.req.valid('query').limit) }, 200))
  app.openapi(sales, async (c) => c.json({ items: await deps.orders.listBySeller(c.var.user.id, c.req.valid('query').limit) }, 200))
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param')
    const order = await deps.orders.get(id)
    if (!order) throw notFound('Order')
    await deps.permissions.require('Order', id, 'view', c.var.user.id)
    return c.json(order, 200)
  })
  app.openapi(cancel, async (c) => c.json(await cancelOrder(deps, c.var.user, c.req.valid('param').id), 200))
  return app
}
