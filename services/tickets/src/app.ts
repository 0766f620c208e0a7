import { createServiceApp } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { subscriptions } from './events/subscriptions'
import { ticketsRoutes } from './http/tickets.routes'

/** The tickets service as a Hono app: public API, Dapr routes, health. */
export function createApp(deps: Deps) {
  const app = createServiceApp({
    appId: 'tickets', path: 'tickets', title: 'Tickets', logger: deps.logger,
    pubsubName: deps.pubsubName, subscriptions: subscriptions(deps), allowedOrigins: deps.allowedOrigins,
  })
  app.route('/api/tickets', ticketsRoutes(deps))
  return app
}
