import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { errors, type KratosError } from './errors'
import type { Flow } from './flows'
import { currentSession, returnToFor, type KratosDeps } from './kratos-deps'
import { texts } from './messages'
import { hashPassword } from './passwords'
import { issueSessionCookie, startSession } from './session-issuer'
import { renderIdentity, renderSession } from './sessions'
import type { StoredIdentity } from './store'
import { respondWithFlowErrors, traitValues } from './flow-responses'
import { guardCsrf, loadSubmittedFlow, refuseOtherMethods, replaceExpired } from './submit-prelude'
import { isJsonRequest, readBody, sendError } from './http'
import { callRegistrationWebHook } from './webhook'

const newIdentity = (deps: KratosDeps, traits: Record<string, unknown>, passwordHash: string): StoredIdentity => ({
  id: randomUUID(),
  schemaId: 'default',
  traits,
  identifiers: deps.schema.identifiers(traits),
  passwordHash,
  addresses: {
    verifiable: deps.schema.emailsFor('verification', traits).map((value) => ({ id: randomUUID(), value })),
    recovery: deps.schema.emailsFor('recovery', traits).map((value) => ({ id: randomUUID(), value })),
  },
  createdAt: deps.now(),
})

// A failed post-persist hook: API flows answer with the error's own code only when it has one
// (Kratos's RecoverStatusCode falls back to 400 for a plain transport error).
const hookFailure = (c: Context, flow: Flow, error: KratosError) =>
  sendError(c, flow.type === 'api' && error.body.error.code === 500 ? error.withHttpStatus(400) : error)

const MAX_PASSWORD_BYTES = 72

/** POST /self-service/registration?flow=: the password strategy, then the configured after-hooks. */
export async function submitRegistration(c: Context, deps: KratosDeps): Promise<Response> {
  const loaded = loadSubmittedFlow(c, deps, 'registration')
  if ('done' in loaded) return loaded.done
  const { flow } = loaded
  if (currentSession(c, deps)) {
    if (flow.type === 'browser') return c.redirect(deps.settings.defaultReturnUrl, 303)
    return sendError(c, errors.alreadyLoggedIn('A valid session was detected and thus registration is not possible.'))
  }
  const expired = replaceExpired(c, deps, flow)
  if (expired) return expired

  const body = await readBody(c)
  const refused = refuseOtherMethods(c, deps, flow, body)
  if (refused) return refused
  const isJson = isJsonRequest(c)
  // Kratos validates missing traits as an empty object, so the schema's required traits are reported.
  const traits = (body.traits ?? {}) as Record<string, unknown>
  const values = traitValues(traits)
  const fail = (messages: Parameters<typeof respondWithFlowErrors>[3]) =>
    respondWithFlowErrors(c, deps, flow, messages, { values, isJson })
  const invalid = deps.schema.validateRegistration({ ...body, traits })
  if (invalid.length > 0) return fail(invalid)
  const guarded = guardCsrf(c, deps, flow, body, values)
  if (guarded) return guarded

  const password = typeof body.password === 'string' ? body.password : ''
  if (password === '') return fail([{ field: 'password', message: texts.required('password') }])
  const length = Buffer.byteLength(password)
  if (length < deps.settings.minPasswordLength) {
    return fail([{ field: 'password', message: texts.passwordMinLength(deps.settings.minPasswordLength, length) }])
  }
  // bcrypt reads 72 bytes at most; Kratos refuses a longer password rather than ignore its tail.
  if (length > MAX_PASSWORD_BYTES) return fail([{ field: 'password', message: texts.passwordMaxLength(MAX_PASSWORD_BYTES, length) }])
  const identity = newIdentity(deps, traits, await hashPassword(password))
  if (!deps.store.insertIdentity(identity)) return fail([{ message: texts.duplicateCredentials() }])
  deps.logger.info({ identityId: identity.id, flowId: flow.id }, 'A new identity has registered using self-service registration.')

  // Kratos's PostRegistrationHook checks the flow's return_to again once the identity is saved, before any session.
  const returnTo = returnToFor(deps, flow.returnTo)
  // As in Kratos, the session exists before the post-persist hooks run; only the session hook hands it out.
  const session = startSession(c, deps, identity)
  flow.state = 'passed_challenge'
  flow.active = 'password'
  deps.store.saveFlow(flow)
  const hookContext = { identityId: identity.id, email: traits.email, flowId: flow.id }
  for (const hook of deps.settings.registrationHooks) {
    if (hook.kind === 'web_hook' && hook.ignoreResponse) {
      // Not awaited: the registration answers while the hook runs, and its failures are only logged.
      void callRegistrationWebHook(hook, hookContext, deps).catch(() => undefined)
      continue
    }
    if (hook.kind === 'web_hook') {
      const failure = await callRegistrationWebHook(hook, hookContext, deps)
      if (failure) return hookFailure(c, flow, failure)
      continue
    }
    const sessionJson = renderSession(session, identity, deps.publicBaseUrl)
    if (flow.type === 'api') {
      return c.json({
        session_token: session.token,
        session: sessionJson,
        identity: sessionJson.identity,
        continue_with: [{ action: 'set_ory_session_token', ory_session_token: session.token }],
      })
    }
    issueSessionCookie(c, deps, session)
    if (!isJson) return c.redirect(returnTo, 303)
    return c.json({
      session: sessionJson,
      identity: sessionJson.identity,
      continue_with: [{ action: 'redirect_browser_to', redirect_browser_to: returnTo }],
    })
  }
  if (flow.type === 'browser' && !isJson) return c.redirect(returnTo, 303)
  const continueWith = flow.type === 'browser' ? [{ action: 'redirect_browser_to', redirect_browser_to: returnTo }] : null
  return c.json({ identity: renderIdentity(identity, deps.publicBaseUrl), continue_with: continueWith })
}
