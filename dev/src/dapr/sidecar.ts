import { Hono } from 'hono'
import { listen } from '@ticketing/shared/platform'
import { joinUrl } from './app-channel'
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
  /**
   * App health checks, as `--enable-app-health-check` turns them on: the path is probed every `intervalMs`
   * (default 5 s, as daprd); after `threshold` failures in a row (default 3) the app gets no deliveries or
   * reminders until a probe succeeds again.
   */
  appHealthCheck?: { path: string; intervalMs?: number; threshold?: number; timeoutMs?: number }
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

/** Probes the app's health path on a timer; calls `changed` when the app turns unhealthy or healthy again. */
function probeHealth(appUrl: string, check: NonNullable<SidecarOptions['appHealthCheck']>, changed: (healthy: boolean) => void): () => void {
  const { intervalMs = 5000, threshold = 3, timeoutMs = 500 } = check
  let failures = 0
  let healthy = true
  let stopped = false
  const probe = async () => {
    const ok = await fetch(joinUrl(appUrl, check.path), { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (res) => {
        await res.arrayBuffer()
        return res.ok
      })
      .catch(() => false)
    failures = ok ? 0 : failures + 1
    // A probe still in flight when the sidecar closed must not register the app again.
    if (!stopped && ok !== healthy && (ok || failures >= threshold)) {
      healthy = ok
      changed(ok)
    }
  }
  const timer = setInterval(() => void probe(), intervalMs)
  timer.unref()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}

/**
 * Starts a local stand-in for `daprd` serving one app-id: it listens at once (outbound APIs work),
 * waits for the app's port to accept a connection, reads `/dapr/config` and `/dapr/subscribe`, then joins the broker.
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
  const registration = { appId, appUrl, ...ctx.discovery }
  let withdraw: (() => void) | undefined = broker.register(registration)
  const stopProbing = options.appHealthCheck
    ? probeHealth(appUrl, options.appHealthCheck, (healthy) => {
        if (healthy && !withdraw) withdraw = broker.register(registration)
        if (!healthy && withdraw) {
          withdraw()
          withdraw = undefined
        }
        broker.logger[healthy ? 'info' : 'warn']({ appId }, healthy ? 'the app is healthy again' : 'the app is unhealthy; deliveries and reminders wait')
      })
    : () => undefined
  broker.logger.info(
    { appId, url, topics: ctx.discovery.subscriptions.map((s) => s.topic), actorTypes: ctx.discovery.actorTypes },
    'dapr sidecar ready',
  )
  let closing: Promise<void> | undefined
  const close = () => {
    if (!closing) {
      stopProbing()
      withdraw?.()
      closing = server.close()
    }
    return closing
  }
  return { url, port, appId, close }
}
