import type { Context } from 'hono'
import { errors } from './errors'
import { type Flow, type FlowKind } from './flows'
import { getCookie } from 'hono/cookie'
import { isJsonRequest, sendError } from './http'
import type { KratosDeps } from './kratos-deps'
import { csrfError, browserishApiRequest } from './csrf-check'
import { respondWithFlowErrors, startFlow, uiUrl, writeFlowError } from './flow-responses'
import { texts } from './messages'

/** Finds the submitted flow and handles what Kratos checks before any strategy runs: unknown or expired flows. */
export function loadSubmittedFlow(c: Context, deps: KratosDeps, kind: FlowKind): { done: Response } | { flow: Flow } {
  const id = c.req.query('flow')
  if (!id) return { done: sendError(c, errors.badRequest('the flow query parameter is missing or malformed')) }
  const flow = deps.store.findFlow(id)
  if (!flow || flow.kind !== kind) return { done: sendError(c, errors.notFound()) }
  return { flow }
}

/** Answers an expired flow as Kratos does: a fresh flow carrying an "expired" message, 410 for JSON/API callers. */
export function replaceExpired(c: Context, deps: KratosDeps, flow: Flow): Response | undefined {
  const now = deps.now()
  if (flow.expiresAt > now) return undefined
  const fresh = startFlow(c, deps, flow.kind, flow.type)
  fresh.requestUrl = flow.requestUrl
  fresh.ui.messages = [
    flow.kind === 'login' ? texts.loginFlowExpired(flow.expiresAt, now) : texts.registrationFlowExpired(flow.expiresAt, now),
  ]
  deps.store.saveFlow(fresh)
  if (flow.type === 'api' || isJsonRequest(c)) return sendError(c, errors.flowExpired(flow.expiresAt, now, fresh.id))
  return c.redirect(uiUrl(deps, fresh), 303)
}

/**
 * Kratos offers the submission to each strategy; the only one here, password, takes it only when
 * `method` is "password", and when no strategy takes it the flow answers "no strategy found".
 */
export function refuseOtherMethods(c: Context, deps: KratosDeps, flow: Flow, body: Record<string, unknown>): Response | undefined {
  if (body.method === 'password') return undefined
  const message = flow.kind === 'login' ? texts.noLoginStrategy() : texts.noRegistrationStrategy()
  return writeFlowError(c, deps, flow, [{ message }], isJsonRequest(c))
}

/** Kratos's EnsureCSRF: browser flows need the cookie's token, API flows must not look like browser calls. */
export function guardCsrf(
  c: Context,
  deps: KratosDeps,
  flow: Flow,
  body: Record<string, unknown>,
  values: Record<string, unknown>,
): Response | undefined {
  if (flow.type === 'api') {
    const reason = browserishApiRequest(c)
    return reason
      ? respondWithFlowErrors(c, deps, flow, [{ message: texts.generic(reason) }], { values, isJson: isJsonRequest(c) })
      : undefined
  }
  const sent = typeof body.csrf_token === 'string' ? body.csrf_token : c.req.header('x-csrf-token')
  if (deps.csrf.verify(getCookie(c, deps.csrf.cookieName), sent)) return undefined
  return sendError(c, csrfError(c, deps, Boolean(sent)))
}
