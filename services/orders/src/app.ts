import { createServiceApp } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { subscriptions } from './events/subscriptions'
import { ordersRoutes } from './http/orders.routes'

/** The orders service as a Hono app: public API, Dapr routes, health. */
export function createApp(deps: Deps) {
  const app = createServiceApp({
    appId: 'orders', path: 'orders', title: 'Orders', logger: deps.logger,
    pubsubName: deps.pubsubName, subscriptions: subscriptions(deps), allowedOrigins: deps.allowedOrigins,
  })
  app.route('/api/orders', ordersRoutes(deps))
  return app
}
