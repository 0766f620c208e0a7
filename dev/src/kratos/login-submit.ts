import type { Context } from 'hono'
import { isJsonRequest, readBody } from './http'
import { currentSession, returnToFor, type KratosDeps } from './kratos-deps'
import { texts } from './messages'
import { hashPassword, verifyPassword } from './passwords'
import { issueSessionCookie, startSession } from './session-issuer'
import { renderSession } from './sessions'
import { respondWithFlowErrors } from './flow-responses'
import { guardCsrf, loadSubmittedFlow, refuseOtherMethods, replaceExpired } from './submit-prelude'

/** POST /self-service/login?flow=: the password strategy, then a session for the identity. */
export async function submitLogin(c: Context, deps: KratosDeps, decoyHash: Promise<string>): Promise<Response> {
  const loaded = loadSubmittedFlow(c, deps, 'login')
  if ('done' in loaded) return loaded.done
  const { flow } = loaded
  const isJson = isJsonRequest(c)
  const body = await readBody(c)
  const identifier = typeof body.identifier === 'string' ? body.identifier : ''
  const fail = (messages: Parameters<typeof respondWithFlowErrors>[3]) =>
    respondWithFlowErrors(c, deps, flow, messages, { values: { identifier }, resetPassword: true, isJson })
  if (currentSession(c, deps)) {
    if (flow.type === 'browser' && !isJson) return c.redirect(deps.settings.defaultReturnUrl, 303)
    return fail([
      { message: texts.generic('A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?') },
    ])
  }
  const expired = replaceExpired(c, deps, flow)
  if (expired) return expired
  const refused = refuseOtherMethods(c, deps, flow, body)
  if (refused) return refused

  const invalid = deps.schema.validateLogin(body)
  if (invalid.length > 0) return fail(invalid)
  const guarded = guardCsrf(c, deps, flow, body, { identifier })
  if (guarded) return guarded

  const password = typeof body.password === 'string' ? body.password : ''
  const identity = deps.store.findByIdentifier(identifier)
  // Unknown accounts cost a hash comparison too, so timing does not reveal which e-mails exist.
  const matches = await verifyPassword(password, identity?.passwordHash ?? (await decoyHash))
  if (!identity || !matches) return fail([{ message: texts.invalidCredentials() }])

  // Kratos's PostLoginHook checks the flow's return_to again before the session is stored.
  const returnTo = returnToFor(deps, flow.returnTo)
  flow.active = 'password'
  flow.state = 'passed_challenge'
  deps.store.saveFlow(flow)
  const session = startSession(c, deps, identity)
  const sessionJson = renderSession(session, identity, deps.publicBaseUrl)
  if (flow.type === 'api') return c.json({ session_token: session.token, session: sessionJson, continue_with: null })
  issueSessionCookie(c, deps, session)
  if (!isJson) return c.redirect(returnTo, 303)
  return c.json({ session: sessionJson, continue_with: [{ action: 'redirect_browser_to', redirect_browser_to: returnTo }] })
}

/** A hash of a random password, compared against when the identifier is unknown. */
export const createDecoyHash = () => hashPassword(crypto.randomUUID())
