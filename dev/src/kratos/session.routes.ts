import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { errors } from './errors'
import { isJsonRequest, readBody, sendError } from './http'
import { currentSession, returnToFor, type KratosDeps } from './kratos-deps'
import { renderSession } from './sessions'
import { renewCsrfSecret } from './flow-responses'

function whoami(c: Context, deps: KratosDeps) {
  const current = currentSession(c, deps)
  if (!current) return sendError(c, errors.noSessionCredentials())
  c.header('X-Kratos-Authenticated-Identity-Id', current.identity.id)
  return c.json(renderSession(current.session, current.identity, deps.publicBaseUrl))
}

function createLogoutFlow(c: Context, deps: KratosDeps) {
  const current = currentSession(c, deps)
  if (!current) return sendError(c, errors.sessionInactive())
  const params = new URLSearchParams({ token: current.session.logoutToken })
  const returnTo = c.req.query('return_to')
  if (returnTo) params.set('return_to', returnToFor(deps, returnTo, deps.settings.logoutReturnUrl))
  return c.json({
    logout_url: `${deps.publicBaseUrl}/self-service/logout?${params}`,
    logout_token: current.session.logoutToken,
  })
}

function updateLogoutFlow(c: Context, deps: KratosDeps) {
  const token = c.req.query('token')
  if (!token) return sendError(c, errors.badRequest('Please include a token in the URL query.'))
  const current = currentSession(c, deps)
  if (!current) return sendError(c, errors.sessionInactive())
  if (current.session.logoutToken !== token) {
    return sendError(
      c,
      errors.forbidden('Unable to log out because the logout token in the URL query does not match the session cookie.'),
    )
  }
  deps.store.removeSession(current.session)
  deleteCookie(c, deps.settings.sessionCookieName, { path: '/' })
  renewCsrfSecret(c, deps)
  // As in Kratos's completeLogout, the session is gone before return_to is checked.
  const returnTo = returnToFor(deps, c.req.query('return_to'), deps.settings.logoutReturnUrl)
  if (isJsonRequest(c)) return c.body(null, 204)
  return c.redirect(returnTo, 303)
}

async function performNativeLogout(c: Context, deps: KratosDeps) {
  const body = await readBody(c)
  const token = typeof body.session_token === 'string' ? body.session_token : ''
  const session = token ? deps.store.findSession({ token }) : undefined
  if (!session) {
    return sendError(c, errors.forbidden('The provided Ory Session Token could not be found, is invalid, or otherwise malformed.'))
  }
  deps.store.removeSession(session)
  return c.body(null, 204)
}

/** whoami, the three logout endpoints, health checks and the identity schema. */
export function sessionRoutes(deps: KratosDeps): Hono {
  const app = new Hono()
  app.get('/sessions/whoami', (c) => whoami(c, deps))
  app.get('/self-service/logout/browser', (c) => createLogoutFlow(c, deps))
  app.get('/self-service/logout', (c) => updateLogoutFlow(c, deps))
  app.delete('/self-service/logout/api', (c) => performNativeLogout(c, deps))
  app.get('/health/alive', (c) => c.json({ status: 'ok' }))
  app.get('/health/ready', (c) => c.json({ status: 'ok' }))
  app.get('/schemas/:id', (c) =>
    Buffer.from(c.req.param('id'), 'base64url').toString() === 'default'
      ? c.json(deps.settings.identitySchema)
      : sendError(c, errors.notFound()),
  )
  return app
}
