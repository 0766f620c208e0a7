import { Hono, type Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { errors } from './errors'
import { renderFlow, type FlowKind } from './flows'
import { acceptsJson, isJsonRequest, sendError } from './http'
import { currentSession, returnToFor, type KratosDeps } from './kratos-deps'
import { csrfError } from './csrf-check'
import { startFlow, uiUrl } from './flow-responses'

const alreadyLoggedInReason: Record<FlowKind, string> = {
  login: 'A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?',
  registration: 'A valid session was detected and thus registration is not possible.',
}

// Kratos checks the requested return_to before anything else when a flow starts (login.NewFlow, registration.NewFlow).
const checkedReturnTo = (c: Context, deps: KratosDeps) => returnToFor(deps, c.req.query('return_to'))

function initBrowser(c: Context, deps: KratosDeps, kind: FlowKind) {
  const returnTo = checkedReturnTo(c, deps)
  if (currentSession(c, deps)) {
    if (isJsonRequest(c)) return sendError(c, errors.alreadyLoggedIn(alreadyLoggedInReason[kind]))
    return c.redirect(returnTo, 303)
  }
  const flow = startFlow(c, deps, kind, 'browser')
  return acceptsJson(c) ? c.json(renderFlow(flow)) : c.redirect(uiUrl(deps, flow), 303)
}

function initApi(c: Context, deps: KratosDeps, kind: FlowKind) {
  checkedReturnTo(c, deps)
  // Kratos refuses a second login for a live session, but lets a native registration flow start.
  if (kind === 'login' && currentSession(c, deps)) return sendError(c, errors.alreadyLoggedIn(alreadyLoggedInReason.login))
  return c.json(renderFlow(startFlow(c, deps, kind, 'api')))
}

function getFlow(c: Context, deps: KratosDeps, kind: FlowKind) {
  const flow = deps.store.findFlow(c.req.query('id') ?? '')
  if (!flow || flow.kind !== kind) return sendError(c, errors.notFound())
  if (flow.type === 'browser' && getCookie(c, deps.csrf.cookieName) !== flow.csrfSecret) {
    return sendError(c, csrfError(c, deps, true))
  }
  if (flow.expiresAt <= deps.now()) {
    return sendError(
      c,
      flow.type === 'browser'
        ? errors.flowExpiredOnFetch(
            `The ${kind} flow has expired. Redirect the user to the ${kind} flow init endpoint to initialize a new ${kind} flow.`,
            { redirect_to: `${deps.publicBaseUrl}/self-service/${kind}/browser`, return_to: flow.returnTo ?? '' },
          )
        : errors.flowExpiredOnFetch(
            `The ${kind} flow has expired. Call the ${kind} flow init API endpoint to initialize a new ${kind} flow.`,
            { api: `${deps.publicBaseUrl}/self-service/${kind}/api` },
          ),
    )
  }
  return c.json(renderFlow(flow))
}

/** Flow creation and retrieval: /self-service/{login,registration}/{browser,api,flows}. */
export function flowRoutes(deps: KratosDeps): Hono {
  const app = new Hono()
  for (const kind of ['login', 'registration'] as const) {
    app.get(`/self-service/${kind}/browser`, (c) => initBrowser(c, deps, kind))
    app.get(`/self-service/${kind}/api`, (c) => initApi(c, deps, kind))
    app.get(`/self-service/${kind}/flows`, (c) => getFlow(c, deps, kind))
  }
  return app
}
