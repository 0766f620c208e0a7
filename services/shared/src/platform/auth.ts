import { Configuration, FrontendApi } from '@ory/client'
import type { MiddlewareHandler } from 'hono'
import { unauthorized } from './errors'
import { sessionTokenOf } from './request-guards'
import { neverRedirected, upstreamFailure, upstreamStatusOf } from './upstream'

export type User = { id: string; email: string }

declare module 'hono' {
  interface ContextVariableMap {
    user: User
  }
}

/** Who is calling, according to Kratos: a user, or null when there is no valid session. */
export type Identify = (credentials: { cookie?: string; sessionToken?: string }) => Promise<User | null>

/**
 * Asks Kratos `toSession` with the caller's cookie or session token.
 * @example const identify = kratosIdentify({ kratosPublicUrl: 'http://kratos:4433' })
 */
export function kratosIdentify(options: { kratosPublicUrl: string }): Identify {
  const frontend = new FrontendApi(new Configuration({ basePath: options.kratosPublicUrl, baseOptions: neverRedirected }))
  return async ({ cookie, sessionToken }) => {
    if (!cookie && !sessionToken) return null
    try {
      const { data } = await frontend.toSession({ cookie, xSessionToken: sessionToken })
      const email = (data.identity?.traits as { email?: unknown } | undefined)?.email
      if (!data.active || !data.identity || typeof email !== 'string') return null
      return { id: data.identity.id, email }
    } catch (err) {
      // 401: no valid session; 403: one that needs a second factor, which we do not offer.
      const status = upstreamStatusOf(err)
      if (status === 401 || status === 403) return null
      throw upstreamFailure('identity', 'The identity service did not answer; try again', err)
    }
  }
}

/**
 * Lets only signed-in callers through and puts them in `c.var.user`; 401 otherwise.
 * @example app.post('/api/tickets', requireUser(identify), handler)
 */
export function requireUser(identify: Identify): MiddlewareHandler {
  return async function authenticate(c, next) {
    const user = await identify({ cookie: c.req.header('cookie'), sessionToken: sessionTokenOf((n) => c.req.header(n)) })
    if (!user) throw unauthorized()
    c.set('user', user)
    await next()
  }
}
