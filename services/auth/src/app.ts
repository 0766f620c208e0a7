import { OpenAPIHono } from '@hono/zod-openapi'
import { problemErrorHandler, problemNotFound, requestLogger } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { usersRoutes } from './http/users.routes'

/** The auth service as a Hono app: profiles and the Kratos web hook. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono()
  app.onError(problemErrorHandler(deps.logger))
  app.notFound(problemNotFound)
  app.use(requestLogger(deps.logger))
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.doc31('/api/users/openapi.json', { openapi: '3.1.0', info: { title: 'Users', version: '1.0.0' } })
  app.route('/api/users', usersRoutes(deps))
  return app
}
