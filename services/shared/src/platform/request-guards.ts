import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { AppError, problem } from './errors'

/**
 * The largest request body a service reads. Its own JSON bodies are a few KiB at most (a ticket's
 * 2,000-character description is under 12 KiB even fully escaped), and so are the CloudEvents Dapr
 * delivers (one such ticket plus the envelope) and the Kratos registration web hook.
 */
export const MAX_BODY_BYTES = 64 * 1024

/**
 * Refuses a body over `maxBytes` with 413: by its Content-Length before reading a byte, or as soon as a
 * body without one grows past the limit.
 * @example app.use(limitBody())
 */
export function limitBody(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  const detail = `A request body may have at most ${maxBytes / 1024} KiB`
  return limitBodies({ maxSize: maxBytes, onError: (c) => problem(c, 413, 'payload-too-large', detail) })
}

const bodiless = new Set(['GET', 'HEAD'])

/**
 * hono's bodyLimit, deciding from the headers alone where they suffice: GET and HEAD pass (nothing reads their
 * body), and so does a body whose Content-Length is within the limit (Node's parser never reads past it). Merely
 * asking for the body makes @hono/node-server build a whole fetch Request, so only a chunked body is counted.
 * @example app.use(limitBodies({ maxSize: 1024, onError: (c) => c.text('too large', 413) }))
 */
export function limitBodies(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const limit = bodyLimit(options)
  return async function limitBody(c, next) {
    if (bodiless.has(c.req.method)) return next()
    const length = c.req.header('content-length')
    if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > options.maxSize ? options.onError(c) : next()
    }
    return limit(c, next)
  }
}

/** The session token of a native client: `X-Session-Token`, or `Authorization: Bearer`. */
export function sessionTokenOf(header: (name: string) => string | undefined): string | undefined {
  const bearer = header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]
  return header('x-session-token') ?? bearer
}

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS'])
// `none`: the person typed or bookmarked the address; no page started the request.
const fromNoOtherPage = new Set(['same-origin', 'none'])

/**
 * The request's own origin as the edge (the gateway, ingress-nginx) forwards it. The edge sets
 * X-Forwarded-Host from the Host the browser sent, which a page on another origin cannot choose, nor can
 * it add X-Forwarded-* to a cross-origin request without a CORS preflight, which no service answers.
 */
function forwardedOrigin(c: Context): string | undefined {
  const first = (name: string) => c.req.header(name)?.split(',')[0]?.trim() || undefined
  const url = new URL(c.req.url)
  const proto = first('x-forwarded-proto') ?? url.protocol.slice(0, -1)
  if (proto !== 'http' && proto !== 'https') return undefined
  try {
    return new URL(`${proto}://${first('x-forwarded-host') ?? url.host}`).origin
  } catch {
    return undefined
  }
}

/**
 * Refuses writes that a browser authenticates with its cookie but a page on another origin started
 * (cross-site request forgery): the Origin must be one of `allowedOrigins` (when none are configured,
 * the request's own origin, see `forwardedOrigin`); a request without an Origin passes only when
 * Sec-Fetch-Site is absent, same-origin or none. A caller with a session token is an API client, since a
 * page cannot add that header cross-origin without a preflight; a request without cookies has no
 * ambient authority to abuse.
 * @example app.use(refuseCrossSiteWrites({ allowedOrigins: ['https://tickets.example'] }))
 */
export function refuseCrossSiteWrites(options: { allowedOrigins?: readonly string[] } = {}): MiddlewareHandler {
  const configured = options.allowedOrigins?.length ? new Set(options.allowedOrigins) : undefined
  return async function refuseCrossSite(c, next) {
    if (readOnly.has(c.req.method) || !c.req.header('cookie') || sessionTokenOf((n) => c.req.header(n))) return next()
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    const fromOwnPage =
      origin === undefined ? site === undefined || fromNoOtherPage.has(site)
      : configured ? configured.has(origin)
      : origin === forwardedOrigin(c)
    if (!fromOwnPage) {
      c.var.log?.warn({ origin, secFetchSite: site }, 'cross-site write with a cookie refused')
      throw new AppError('cross-site-request', 403, "A signed-in browser may only write from the app's own pages")
    }
    await next()
  }
}
