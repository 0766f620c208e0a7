import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import type { KratosDeps } from './kratos-deps'
import { renewCsrfSecret } from './flow-responses'
import { createSession } from './sessions'
import type { StoredIdentity, StoredSession } from './store'

/** Starts and stores a session for the identity, recording the caller's device like Kratos. */
export function startSession(c: Context, deps: KratosDeps, identity: StoredIdentity): StoredSession {
  const session = createSession(identity, deps.now(), deps.settings.sessionLifespanMs, {
    ipAddress: c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? '127.0.0.1',
    userAgent: c.req.header('user-agent') ?? null,
  })
  deps.store.saveSession(session)
  return session
}

/**
 * Sets the session cookie: HttpOnly, Path=/, SameSite=Lax, persistent for the session's lifespan.
 * Like Kratos, a browser that had no session also gets a new anti-CSRF secret.
 */
export function issueSessionCookie(c: Context, deps: KratosDeps, session: StoredSession): void {
  renewCsrfSecret(c, deps)
  setCookie(c, deps.settings.sessionCookieName, session.cookieValue, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: Math.floor(deps.settings.sessionLifespanMs / 1000),
    expires: session.expiresAt,
  })
}
