import { OpenAPIHono } from '@hono/zod-openapi'
import { createSubscriptionRouter, problemErrorHandler, problemNotFound, requestLogger } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { subscriptions } from './events/subscriptions'
import { paymentsRoutes } from './http/payments.routes'
import { webhooksRoutes } from './http/webhooks.routes'

/** The payments service as a Hono app: public API, Stripe web hook, Dapr routes, health. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono()
  app.onError(problemErrorHandler(deps.logger))
  app.notFound(problemNotFound)
  app.use(requestLogger(deps.logger))
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.route('/', createSubscriptionRouter({ appId: 'payments', pubsubName: deps.pubsubName, subscriptions: subscriptions(deps), logger: deps.logger }))
  // Before the routes, so `/{id}` does not swallow the document's path.
  app.doc31('/api/payments/openapi.json', { openapi: '3.1.0', info: { title: 'Payments', version: '1.0.0' } })
  app.route('/api/payments/webhooks', webhooksRoutes(deps))
  app.route('/api/payments', paymentsRoutes(deps))
  return app
}
