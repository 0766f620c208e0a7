import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { HttpBindings } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import { proxy } from 'hono/proxy'
import { secureHeaders } from 'hono/secure-headers'
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
 * The path as the caller sent it. Not `c.req.path`: that is decoded, and a decoded path read again as a URL
 * is another path (`..%5C..%5Cevents` became `/events`, out of /api/<service>/ to the routes only Dapr may call).
 */
const sentPath = (c: Context) => new URL(c.req.url).pathname

/** Forwards the request to `target`, keeping method, body, cookies and the caller's address. */
function forward(c: Context, target: string) {
  const url = new URL(c.req.url)
  return proxy(`${target}${url.search}`, {
    raw: c.req.raw,
    // A redirect is the browser's to follow: followed here, Kratos's 303 would lose its Set-Cookie, and the
    // gateway would fetch whatever return_to names and serve it under the app's origin.
    redirect: 'manual',
    headers: {
      ...c.req.header(),
      // Hop-by-hop headers belong to the caller's connection, not to the one to the service.
      connection: undefined,
      'keep-alive': undefined,
      upgrade: undefined,
      te: undefined,
      'X-Forwarded-For': '127.0.0.1',
      'X-Forwarded-Host': url.host,
      'X-Forwarded-Proto': url.protocol.replace(':', ''),
    },
  })
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
    app.all(`${prefix}/*`, (c) => forward(c, `${target}${sentPath(c)}`))
  }
  app.all('/api/*', (c) => problem(c, 404, 'route-not-found', `No service for ${c.req.path}`))
  app.all('/.ory/*', (c) => {
    const path = sentPath(c)
    // Matched on the decoded path: only a prefix the caller spelt plainly can be cut off the one sent.
    if (!/^\/\.ory(?:\/|$)/.test(path)) return problem(c, 404, 'route-not-found', 'No route for this request')
    return forward(c, `${options.kratosUrl}${path.slice('/.ory'.length)}`)
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
