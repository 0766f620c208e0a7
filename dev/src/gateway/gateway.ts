import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import { proxy } from 'hono/proxy'
import { problem } from '@ticketing/shared/platform'
import { placeholderPage } from './placeholder'

export type GatewayOptions = {
  /** Path prefix → service URL, e.g. `{ '/api/tickets': 'http://127.0.0.1:3002' }`. */
  services: Record<string, string>
  /** Kratos's public API, served under `/.ory/`. */
  kratosUrl: string
  /** The built web app (index.html and assets); a placeholder page is served until it exists. */
  webDir?: string
}

/** Forwards the request to `target`, keeping method, body, cookies and the caller's address. */
function forward(c: Context, target: string) {
  const url = new URL(c.req.url)
  return proxy(`${target}${url.search}`, {
    raw: c.req.raw,
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

/**
 * Behaves like the cluster's ingress: `/api/<service>/…` to the services, `/.ory/…` to Kratos, the rest to the web app.
 * @example const app = createGateway({ services: { '/api/tickets': ticketsUrl }, kratosUrl })
 */
export function createGateway(options: GatewayOptions) {
  const app = new Hono()
  // A service that does not answer is the ingress's 502, not a stack trace.
  app.onError((_err, c) => problem(c, 502, 'bad-gateway', `No answer from the service behind ${c.req.path}`))
  for (const [prefix, target] of Object.entries(options.services)) {
    app.all(`${prefix}/*`, (c) => forward(c, `${target}${c.req.path}`))
  }
  app.all('/api/*', (c) => problem(c, 404, 'route-not-found', `No service for ${c.req.path}`))
  app.all('/.ory/*', (c) => forward(c, `${options.kratosUrl}${c.req.path.slice('/.ory'.length)}`))

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
