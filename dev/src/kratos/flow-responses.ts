import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { createFlow, renderFlow, type Flow, type FlowKind, type FlowType } from './flows'
import type { FieldMessage } from './identity-schema'
import type { KratosDeps } from './kratos-deps'
import { addMessage, resetMessages, setNodeValue } from './nodes'

/** The request's CSRF secret, creating and setting the cookie when it is missing (as nosurf does). */
export function csrfSecret(c: Context, deps: KratosDeps): string {
  const existing = getCookie(c, deps.csrf.cookieName)
  return deps.csrf.isSecret(existing) ? existing : renewCsrfSecret(c, deps)
}

/** Sets a fresh CSRF secret whatever the request carries (nosurf's RegenerateToken). */
export function renewCsrfSecret(c: Context, deps: KratosDeps): string {
  const secret = deps.csrf.newSecret()
  setCookie(c, deps.csrf.cookieName, secret, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 365 * 24 * 3600 })
  return secret
}

/** Creates and stores a new flow for this request. */
export function startFlow(c: Context, deps: KratosDeps, kind: FlowKind, type: FlowType): Flow {
  const url = new URL(c.req.url)
  const secret = type === 'browser' ? csrfSecret(c, deps) : undefined
  const flow = createFlow({
    kind,
    type,
    publicBaseUrl: deps.publicBaseUrl,
    requestUrl: `${deps.publicBaseUrl}${url.pathname}${url.search}`,
    returnTo: url.searchParams.get('return_to') ?? undefined,
    csrfSecret: secret,
    csrfToken: secret ? deps.csrf.mask(secret) : '',
    schema: deps.schema,
    now: deps.now(),
    lifespanMs: kind === 'login' ? deps.settings.loginLifespanMs : deps.settings.registrationLifespanMs,
  })
  deps.store.saveFlow(flow)
  return flow
}

export const uiUrl = (deps: KratosDeps, flow: Flow) =>
  `${flow.kind === 'login' ? deps.settings.loginUiUrl : deps.settings.registrationUiUrl}?flow=${flow.id}`

interface FlowErrorOptions {
  values?: Record<string, unknown>
  resetPassword?: boolean
  isJson: boolean
}

/** A strategy's validation failure: the form keeps what was typed and gets a fresh CSRF token, then Kratos's WriteFlowError. */
export function respondWithFlowErrors(c: Context, deps: KratosDeps, flow: Flow, messages: FieldMessage[], options: FlowErrorOptions) {
  for (const [name, value] of Object.entries(options.values ?? {})) setNodeValue(flow.ui.nodes, name, value)
  if (options.resetPassword) setNodeValue(flow.ui.nodes, 'password', undefined)
  if (flow.type === 'browser') setNodeValue(flow.ui.nodes, 'csrf_token', deps.csrf.mask(csrfSecret(c, deps)))
  return writeFlowError(c, deps, flow, messages, options.isJson)
}

/** Kratos's WriteFlowError: the flow again with only these messages, as 400 JSON or a redirect to the UI (303 login, 302 registration). */
export function writeFlowError(c: Context, deps: KratosDeps, flow: Flow, messages: FieldMessage[], isJson: boolean) {
  resetMessages(flow.ui)
  for (const { field, message } of messages) addMessage(flow.ui, message, field)
  // Kratos stores the flow with its messages, so the UI it redirects to fetches the form as it was answered.
  deps.store.saveFlow(flow)
  if (flow.type === 'browser' && !isJson) return c.redirect(uiUrl(deps, flow), flow.kind === 'login' ? 303 : 302)
  return c.json(renderFlow(flow), 400)
}

// Deeper than any trait node an identity schema gives the form; a body nested thousands deep must not exhaust the stack.
const maxTraitDepth = 32

/** Flattens submitted traits into node names ("traits.email") so the form keeps what the person typed. */
export function traitValues(traits: unknown, prefix = 'traits', depth = 1): Record<string, unknown> {
  if (!traits || typeof traits !== 'object' || Array.isArray(traits) || depth > maxTraitDepth) return {}
  return Object.fromEntries(
    Object.entries(traits).flatMap(([key, value]) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(traitValues(value, `${prefix}.${key}`, depth + 1))
        : [[`${prefix}.${key}`, value]],
    ),
  )
}
