import type { LogSink } from '@ticketing/shared/platform'
import type { Context } from 'hono'
import type { Csrf } from './csrf'
import type { IdentitySchema } from './identity-schema'
import type { KratosSettings } from './kratos-config'
import { sessionCredentials } from './http'
import { secureReturnTo } from './return-to'
import type { KratosStore, StoredIdentity, StoredSession } from './store'

/** Everything the routes of one stand-in instance share. */
export interface KratosDeps {
  settings: KratosSettings
  schema: IdentitySchema
  store: KratosStore
  csrf: Csrf
  /** Public base URL without a trailing slash, e.g. http://127.0.0.1:8080/.ory */
  publicBaseUrl: string
  now: () => Date
  logger: LogSink
  webhookRetryWaitMs: number
  webhookTimeoutMs: number
}

/** The request's active, unexpired session and its identity, if any. */
export function currentSession(c: Context, deps: KratosDeps): { session: StoredSession; identity: StoredIdentity } | undefined {
  const credentials = sessionCredentials(c, deps.settings.sessionCookieName)
  if (!credentials.token && !credentials.cookieValue) return undefined
  const session = deps.store.findSession(credentials)
  if (!session) return undefined
  const identity = deps.store.findIdentity(session.identityId)
  return identity ? { session, identity } : undefined
}

/** Kratos's SecureRedirectTo with this instance's allow-list: `requested` if allowed, `defaultUrl` if absent; throws a 400 otherwise. */
export const returnToFor = (deps: KratosDeps, requested: string | undefined, defaultUrl = deps.settings.defaultReturnUrl): string =>
  secureReturnTo(requested, { defaultUrl, allowed: deps.settings.allowedReturnUrls, publicBaseUrl: deps.publicBaseUrl })
