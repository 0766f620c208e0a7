import { createServiceApp } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { hooksRoutes } from './http/hooks.routes'
import { usersRoutes } from './http/users.routes'

/** The auth service as a Hono app: profiles and the Kratos web hook. */
export function createApp(deps: Deps) {
  const app = createServiceApp({ appId: 'auth', path: 'users', title: 'Users', logger: deps.logger, allowedOrigins: deps.allowedOrigins })
  app.route('/api/users', usersRoutes(deps))
  app.route('/hooks', hooksRoutes(deps))
  return app
}
