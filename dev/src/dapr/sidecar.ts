import { Hono } from 'hono'
import { listen } from '@ticketing/shared/platform'
import { discoverActorTypes, discoverSubscriptions, waitForApp } from './app-discovery'
import type { Broker } from './broker'
import { actorRoutes } from './routes/actors.routes'
import { daprError } from './routes/dapr-error'
import { healthRoutes } from './routes/health.routes'
import { metadataRoutes } from './routes/metadata.routes'
import { publishRoutes } from './routes/publish.routes'
import { stateRoutes } from './routes/state.routes'
import type { SidecarContext } from './sidecar-context'

/** Options of {@link startSidecar}. */
export interface SidecarOptions {
  appId: string
  /** Base URL of the app, e.g. http://127.0.0.1:3001 */
  appUrl: string
  broker: Broker
  /** Port of the Dapr HTTP API; 0 (default) picks a free one. */
  port?: number
  /** How long to wait for the app to answer HTTP before giving up (default 30 s). */
  appStartTimeoutMs?: number
  /** Delay between two probes of the app (default 50 ms). */
  appPollIntervalMs?: number
  /** Called as soon as the API listens, before the app is discovered, so the app can be told the port. */
  onListening?(sidecar: { url: string; port: number }): void
}

/** A running sidecar. */
export interface Sidecar {
  url: string
  port: number
  appId: string
  close(): Promise<void>
}

function createSidecarApp(ctx: SidecarContext): Hono {
  const app = new Hono()
  for (const routes of [healthRoutes, metadataRoutes, publishRoutes, actorRoutes, stateRoutes]) app.route('/', routes(ctx))
  app.notFound((c) => daprError(c, 404, 'ERR_NOT_FOUND', `${c.req.method} ${c.req.path} is not a Dapr API route`))
  app.onError((error, c) => {
    ctx.broker.logger.error({ appId: ctx.appId, path: c.req.path, err: error }, 'sidecar request failed')
    return daprError(c, 500, 'ERR_INTERNAL', error.message)
  })
  return app
}

/**
 * Starts a local stand-in for `daprd` serving one app-id: it listens at once (outbound APIs work),
 * waits for the app to answer HTTP, reads `/dapr/config` and `/dapr/subscribe`, then joins the broker.
 * @example const sidecar = await startSidecar({ appId: 'orders', appUrl: 'http://127.0.0.1:3003', broker })
 */
export async function startSidecar(options: SidecarOptions): Promise<Sidecar> {
  const { appId, appUrl, broker } = options
  const ctx: SidecarContext = {
    appId,
    appUrl,
    broker,
    pubsubName: 'pubsub',
    stateStoreName: 'statestore',
    extended: {},
  }
  const server = await listen(createSidecarApp(ctx), { port: options.port ?? 0 })
  const { url, port } = server
  options.onListening?.({ url, port })
  try {
    await waitForApp(appUrl, options.appStartTimeoutMs ?? 30_000, options.appPollIntervalMs ?? 50)
    const actorTypes = await discoverActorTypes(appUrl, broker.logger)
    const discovered = await discoverSubscriptions(appUrl, broker.logger)
    const subscriptions = discovered.filter((s) => s.pubsubname === ctx.pubsubName)
    for (const s of discovered.filter((s) => s.pubsubname !== ctx.pubsubName)) {
      broker.logger.warn({ appId, pubsubname: s.pubsubname, topic: s.topic }, 'subscription to an unknown pubsub ignored')
    }
    ctx.discovery = { subscriptions, actorTypes }
  } catch (error) {
    await server.close()
    throw error
  }
  const withdraw = broker.register({ appId, appUrl, ...ctx.discovery })
  broker.logger.info(
    { appId, url, topics: ctx.discovery.subscriptions.map((s) => s.topic), actorTypes: ctx.discovery.actorTypes },
    'dapr sidecar ready',
  )
  let closing: Promise<void> | undefined
  const close = () => {
    if (!closing) {
      withdraw()
      closing = server.close()
    }
    return closing
  }
  return { url, port, appId, close }
}
