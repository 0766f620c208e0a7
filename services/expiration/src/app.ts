import { OpenAPIHono } from '@hono/zod-openapi'
import { createActorHost, createSubscriptionRouter, problemErrorHandler, problemNotFound, requestLogger } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { actors } from './events/order-expiration.actor'
import { subscriptions } from './events/subscriptions'

/** The expiration service as a Hono app: Dapr routes (subscriptions, actor reminders), health and its (empty) API document. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono()
  app.onError(problemErrorHandler(deps.logger))
  app.notFound(problemNotFound)
  app.use(requestLogger(deps.logger))
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.route('/', createSubscriptionRouter({ pubsubName: deps.pubsubName, subscriptions: subscriptions(deps), logger: deps.logger }))
  app.route('/', createActorHost({ entities: actors(deps), logger: deps.logger }))
  app.doc31('/api/expiration/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Expiration',
      version: '1.0.0',
      description: 'No public API: the service only reacts to order events and to its Dapr actor reminders.',
    },
  })
  return app
}
