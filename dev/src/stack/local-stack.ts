import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { createLogger, listen } from '@ticketing/shared/platform'
import { openDataFile } from '@ticketing/shared/sqlite'
import { createBroker, inboundRetriesOf, startSidecar, type Broker } from '../dapr'
import { createGateway, gatewayLimits } from '../gateway'
import { startKeto } from '../keto'
import { startKratos } from '../kratos'
import { freePort } from './free-port'
import { marketplace, type Env, type RunningService } from './services'

/** A message that ended in a subscriber's dead-letter topic, with the envelope it was delivered in. */
export type DeadLetterSeen = { appId: string; topic: string; deadLetterTopic: string; event: { id: string; data?: unknown } }

/**
 * The marketplace as the system tests drive it, whether on the local stand-ins or on the real platform
 * (dev/src/platform): a gateway, a Dapr sidecar per service, and a way to add an app of the test's own.
 */
export interface Stack {
  /** The gateway: what a browser or a system test talks to. */
  url: string
  /** Each service's Dapr sidecar URL, by app-id. */
  sidecars: Record<string, string>
  /** Gives an app of the caller's (at `appUrl`) a sidecar of its own on the same pub/sub; resolves once it has subscribed. */
  attach(appId: string, appUrl: string): Promise<{ url: string; close(): Promise<void> }>
  /** Resolves once no event is waiting for or being handled by a subscriber. */
  settle(): Promise<void>
  /** Every message that ended in a dead-letter topic so far, oldest first. */
  deadLetters(): Promise<DeadLetterSeen[]>
  close(): Promise<void>
}

export type LocalStack = Stack & {
  broker: Broker
  services: Record<string, RunningService>
}

const repo = resolve(import.meta.dirname, '../../..')
const local = (port: number) => `http://127.0.0.1:${port}`

/**
 * Starts the whole marketplace in this process: Keto, Kratos, a Dapr sidecar per service over one broker,
 * the services (each an SQLite file under `dataDir`, or in memory with `:memory:`, unless MONGO_URL is
 * set), and the gateway.
 * @example const stack = await startLocalStack({ port: 0, dataDir: ':memory:' }); await fetch(`${stack.url}/api/tickets`)
 */
export async function startLocalStack(options: { port: number; dataDir: string; env?: Env; quiet?: boolean }): Promise<LocalStack> {
  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const stop of closers.reverse()) await stop()
  }
  try {
    // Read first, so a bad value fails before anything starts.
    const gatewayLimitsFromEnv = gatewayLimits(options.env ?? {})
    const gatewayPort = options.port || (await freePort())
    const ports = Object.fromEntries(
      await Promise.all(marketplace.map(async ({ appId }) => [appId, { app: await freePort(), dapr: await freePort() }] as const)),
    )
    const logger = createLogger({ name: 'dev', level: options.quiet ? 'silent' : (options.env?.LOG_LEVEL ?? 'info') })
    // One key per run, shared by Kratos (sender) and auth (receiver) as in the cluster's Secret.
    const webhookApiKey = options.env?.WEBHOOK_API_KEY || randomBytes(24).toString('base64url')

    const ketoDb = openDataFile(options.dataDir, 'keto')
    closers.push(async () => ketoDb.close())
    const keto = await startKeto({ readPort: 0, writePort: 0, db: ketoDb })
    closers.push(() => keto.close())
    const kratosDb = openDataFile(options.dataDir, 'kratos')
    closers.push(async () => kratosDb.close())
    const kratos = await startKratos({
      port: 0,
      publicBaseUrl: `${local(gatewayPort)}/.ory`,
      webhookUrl: `${local(ports.auth!.app)}/hooks/registration`,
      webhookApiKey,
      logger,
      db: kratosDb,
    })
    closers.push(() => kratos.close())
    const brokerDb = openDataFile(options.dataDir, 'dapr')
    closers.push(async () => brokerDb.close())
    // Deliveries are retried as the sidecars on the platform retry them: per the project's Resiliency.
    const delivery = inboundRetriesOf(resolve(repo, 'dapr/resiliency/resiliency.yaml'), 'pubsub')
    const broker = createBroker({ logger, db: brokerDb, delivery })
    closers.push(() => broker.close())

    const services: Record<string, RunningService> = {}
    const sidecars: Record<string, string> = {}
    for (const { appId, start } of marketplace) {
      const { app, dapr } = ports[appId]!
      const service = await start({
        LOG_LEVEL: options.quiet ? 'silent' : 'info',
        ...options.env,
        PORT: String(app),
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        DAPR_HTTP_PORT: String(dapr),
        KRATOS_PUBLIC_URL: kratos.url,
        KETO_READ_URL: keto.readUrl,
        KETO_WRITE_URL: keto.writeUrl,
        WEBHOOK_API_KEY: webhookApiKey,
        // The gateway's origin, however this machine's browser names it, and any the .env adds (the Vite dev server).
        ALLOWED_ORIGINS: [local(gatewayPort), `http://localhost:${gatewayPort}`, options.env?.ALLOWED_ORIGINS].filter(Boolean).join(','),
      })
      const sidecar = await startSidecar({ appId, appUrl: service.url, broker, port: dapr, appHealthCheck: { path: '/healthz' } }).catch(async (error: unknown) => {
        await service.close()
        throw error
      })
      // The service stops first, so its outbox relay's last round still reaches its sidecar.
      closers.push(async () => {
        await service.close()
        await sidecar.close()
      })
      services[appId] = service
      sidecars[appId] = sidecar.url
    }

    const routes = marketplace.flatMap(({ appId, prefix }) => (prefix ? [[prefix, services[appId]!.url] as const] : []))
    const gateway = await listen(
      createGateway({
        services: Object.fromEntries(routes),
        kratosUrl: kratos.url,
        webDir: resolve(repo, 'web/dist'),
        limits: gatewayLimitsFromEnv,
        logger,
      }),
      { port: gatewayPort },
    )
    closers.push(() => gateway.close())
    const attached: Array<() => Promise<void>> = []
    closers.push(async () => {
      for (const stop of attached) await stop()
    })
    return {
      url: gateway.url,
      broker,
      services,
      sidecars,
      async attach(appId, appUrl) {
        const sidecar = await startSidecar({ appId, appUrl, broker })
        attached.push(() => sidecar.close())
        return sidecar
      },
      settle: () => broker.idle(),
      deadLetters: async () => broker.deadLetters(),
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}
