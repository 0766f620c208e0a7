import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { HttpBindings } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { Agent, request, type Dispatcher } from 'undici'
import { problem, type Logger } from '@ticketing/shared/platform'
import { limitBody, refuseExpect, refuseTrace } from './edge-guards'
import { defaultLimits, type GatewayLimits } from './limits'
import { placeholderPage } from './placeholder'
import { rateLimit } from './rate-limit'
import { secureHeadersOptions } from './security-headers'

export type GatewayOptions = {
  /** Path prefix → service URL, e.g. `{ '/api/tickets': 'http://127.0.0.1:3002' }`. */
  services: Record<string, string>
  /** Kratos's public API, served under `/.ory/`. */
  kratosUrl: string
  /** The built web app (index.html and assets); a placeholder page is served until it exists. */
  webDir?: string
  /** Body size and per-client rate limits; `defaultLimits` where left out. */
  limits?: Partial<GatewayLimits>
  /** Where a service that does not answer is reported. */
  logger?: Logger
}

type Gateway = { Bindings: Partial<HttpBindings> }

/**
 * The URL as the caller sent it; its path, not `c.req.path`: that is decoded, and a decoded path read again as a
 * URL is another path (`..%5C..%5Cevents` became `/events`, out of /api/<service>/ to the routes only Dapr may call).
 */
const sentUrl = (c: Context) => new URL(c.req.url)

// Hop-by-hop headers belong to one connection, the caller's or the service's, and are never passed on.
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
const bodiless = new Set(['GET', 'HEAD'])
const emptyStatuses = new Set([101, 204, 205, 304])

/**
 * Forwards the request to `target` over kept-alive connections (undici's request API: no fetch machinery),
 * keeping method, body, cookies and the caller's address. Bodies here are API bodies, at most the body
 * limit going in and a page of JSON coming back, so each is read whole and passed on as one buffer. Nothing is
 * decoded on the way: the service's Content-Encoding and bytes reach the caller as they were sent. A redirect
 * is the browser's to follow: followed here, Kratos's 303 would lose its Set-Cookie, and the gateway would fetch
 * whatever return_to names and serve it under the app's origin; undici's request follows none.
 */
async function forward(c: Context, url: URL, target: string, dispatcher: Dispatcher) {
  const headers: Record<string, string> = {}
  // Not passed on either: what the caller's Connection header names, and Host and Content-Length, which undici
  // sets for the new connection and the buffered body.
  const named = new Set(c.req.header('connection')?.toLowerCase().split(',').map((token) => token.trim()))
  c.req.raw.headers.forEach((value, name) => {
    if (!hopByHop.has(name) && !named.has(name) && name !== 'host' && name !== 'content-length') headers[name] = value
  })
  headers['x-forwarded-for'] = '127.0.0.1'
  headers['x-forwarded-host'] = url.host
  headers['x-forwarded-proto'] = url.protocol.replace(':', '')
  const method = c.req.method
  const body = bodiless.has(method) ? null : Buffer.from(await c.req.arrayBuffer())
  const answer = await request(`${target}${url.search}`, { method, headers, body, dispatcher })
  const passed = new Headers()
  for (const [name, value] of Object.entries(answer.headers)) {
    if (hopByHop.has(name) || value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) passed.append(name, one)
  }
  const bytes = Buffer.from(await answer.body.arrayBuffer())
  const empty = method === 'HEAD' || emptyStatuses.has(answer.statusCode)
  return new Response(empty ? null : bytes, { status: answer.statusCode, headers: passed })
}

/** The caller's address as its connection has it; never X-Forwarded-For, which the caller writes itself. */
const clientOf = (c: Context<Gateway>) => c.env?.incoming?.socket.remoteAddress ?? 'unknown'

const unsafeMethods = ['POST', 'PUT', 'PATCH', 'DELETE']

/**
 * Behaves like the cluster's ingress: `/api/<service>/…` to the services, `/.ory/…` to Kratos, the rest to the web app;
 * with the same security headers, body limit and per-client rate limits.
 * @example const app = createGateway({ services: { '/api/tickets': ticketsUrl }, kratosUrl })
 */
export function createGateway(options: GatewayOptions) {
  const limits = { ...defaultLimits, ...options.limits }
  const app = new Hono<Gateway>()
  // Kept-alive connections to each service, reused until the service's Keep-Alive hint says they may close.
  const dispatcher = new Agent()
  // A service that does not answer is the ingress's 502, not a stack trace, and names nothing behind the gateway.
  app.onError((err, c) => {
    options.logger?.warn({ err, method: c.req.method, path: c.req.path }, 'no answer from the service behind the gateway')
    return problem(c, 502, 'bad-gateway', 'The service did not answer; try again shortly')
  })
  app.notFound((c) => problem(c, 404, 'route-not-found', 'No route for this request'))
  app.use(secureHeaders(secureHeadersOptions), refuseTrace, refuseExpect)
  app.on(unsafeMethods, '/.ory/self-service/*', rateLimit({ perMinute: limits.selfServiceSubmitsPerMinute, clientOf }))
  app.on(unsafeMethods, '/api/*', rateLimit({ perMinute: limits.apiWritesPerMinute, clientOf }))
  app.use(limitBody(limits.maxBodyBytes))

  for (const [prefix, target] of Object.entries(options.services)) {
    app.all(`${prefix}/*`, (c) => {
      const url = sentUrl(c)
      return forward(c, url, `${target}${url.pathname}`, dispatcher)
    })
  }
  app.all('/api/*', (c) => problem(c, 404, 'route-not-found', `No service for ${c.req.path}`))
  app.all('/.ory/*', (c) => {
    const url = sentUrl(c)
    const path = url.pathname
    // Matched on the decoded path: only a prefix the caller spelt plainly can be cut off the one sent.
    if (!/^\/\.ory(?:\/|$)/.test(path)) return problem(c, 404, 'route-not-found', 'No route for this request')
    return forward(c, url, `${options.kratosUrl}${path.slice('/.ory'.length)}`, dispatcher)
  })

  const webDir = options.webDir
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    app.use('/*', serveStatic({ root: webDir }))
    // A missing asset is a 404: answering index.html would hand an old tab HTML where it expects code.
    app.get('/assets/*', (c) => c.notFound())
    // A single-page app: every other path is a client-side route.
    app.get('*', serveStatic({ root: webDir, path: 'index.html' }))
  } else {
    app.get('*', (c) => c.html(placeholderPage))
  }
  return app
}
