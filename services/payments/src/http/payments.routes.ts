import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { IdParam, jsonBody, jsonResponse as json, notFound, problemResponse as problem, validationHook } from '@ticketing/shared/platform'
import { requireUser } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { payOrder } from '../domain/pay-order'
import { PayBody, PaymentPendingSchema, PaymentSchema } from './schemas'

const pay = createRoute({
  method: 'post', path: '/',
  request: jsonBody(PayBody),
  responses: {
    201: json(PaymentSchema, 'Paid'),
    202: json(PaymentPendingSchema, 'Not finished: the buyer must authenticate in the browser (or the bank is processing); a web hook records the payment'),
    400: problem('Invalid fields, or a payment method Stripe does not know'), 401: problem('Not signed in'),
    402: problem("The card was declined; Stripe's message is the detail"), 403: problem('Not the buyer'),
    404: problem('No such order'),
    409: problem('The order is cancelled, paid already, its reservation has ended, or it has not reached payments yet; or Stripe canceled the payment meanwhile'),
    422: problem('Stripe refused the charge'), 503: problem('The payment provider did not answer'),
  },
})
const get = createRoute({
  method: 'get', path: '/{id}', request: { params: IdParam },
  responses: {
    200: json(PaymentSchema, 'The payment'), 401: problem('Not signed in'),
    403: problem("Neither the buyer nor the ticket's seller"), 404: problem('No such payment'),
  },
})

/** `/api/payments` routes. */
export function paymentsRoutes(deps: Deps) {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  const signedIn = requireUser(deps.identify)
  app.on('POST', '/', signedIn)
  app.on('GET', '/:id', signedIn)

  app.openapi(pay, async (c) => {
    const outcome = await payOrder(deps, c.var.user, c.req.valid('json'), c.var.log)
    if (outcome.status !== 'succeeded') return c.json(outcome, 202)
    return c.json(outcome.payment, 201, { Location: `/api/payments/${outcome.payment.id}` })
  })
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param')
    const payment = await deps.store.getPayment(id)
    if (!payment) throw notFound('Payment')
    await deps.permissions.require('Payment', id, 'view', c.var.user.id)
    return c.json(payment, 200)
  })
  return app
}
