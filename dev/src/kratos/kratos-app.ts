import { Hono } from 'hono'
import { errors, KratosError } from './errors'
import { flowRoutes } from './flow.routes'
import { sendError } from './http'
import type { KratosDeps } from './kratos-deps'
import { createDecoyHash, submitLogin } from './login-submit'
import { submitRegistration } from './registration-submit'
import { sessionRoutes } from './session.routes'

/** The Kratos public API subset as a Hono app (no listen). */
export function createKratosApp(deps: KratosDeps): Hono {
  const decoyHash = createDecoyHash()
  const app = new Hono()
  app.route('/', flowRoutes(deps))
  app.route('/', sessionRoutes(deps))
  app.post('/self-service/registration', (c) => submitRegistration(c, deps))
  app.post('/self-service/login', (c) => submitLogin(c, deps, decoyHash))
  app.notFound((c) => sendError(c, errors.notFound()))
  app.onError((error, c) => {
    // A request Kratos refuses (a body it cannot decode, a return_to it does not allow) is the client's error.
    // Kratos would send a page to its error UI instead; the stand-in keeps no errors and answers them itself.
    if (error instanceof KratosError) return sendError(c, error)
    deps.logger.error({ err: error.message, path: c.req.path }, 'kratos stand-in request failed')
    return sendError(c, errors.internal('An internal server error occurred, please contact the system administrator'))
  })
  return app
}
