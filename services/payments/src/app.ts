import { createServiceApp } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { subscriptions } from './events/subscriptions'
import { paymentsRoutes } from './http/payments.routes'
import { webhooksRoutes } from './http/webhooks.routes'

/** The payments service as a Hono app: public API, Stripe web hook, Dapr routes, health. */
export function createApp(deps: Deps) {
  const app = createServiceApp({
    appId: 'payments', path: 'payments', title: 'Payments', logger: deps.logger,
    pubsubName: deps.pubsubName, subscriptions: subscriptions(deps), allowedOrigins: deps.allowedOrigins,
  })
  app.route('/api/payments/webhooks', webhooksRoutes(deps))
  app.route('/api/payments', paymentsRoutes(deps))
  return app
}
