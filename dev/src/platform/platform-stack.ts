import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createLogger, listen } from '@ticketing/shared/platform'
import { deadLetterTopic } from '@ticketing/shared/platform'
import { startRecordingApp } from '../dapr/testing/recording-app'
import { createGateway, gatewayLimits } from '../gateway'
import { freePort } from '../stack/free-port'
import type { DeadLetterSeen, Stack } from '../stack'
import type { Env } from '../stack/services'
import { writeComponents, type Pubsub } from './components'
import { daprdReady, sidecarPorts, startControlPlane, startDaprd, type ControlPlane } from './dapr'
import { startRealKeto, startRealKratos } from './ory'
import { answers, startProcess, whenReady, type ManagedProcess } from './process'
import { claimResources, platformUrls } from './resources'

const repo = resolve(import.meta.dirname, '../../..')
const local = (port: number) => `http://127.0.0.1:${port}`

/** The marketplace's services on the platform: each its own Node process beside its own daprd. */
const services = [
  { appId: 'auth', prefix: '/api/users' },
  { appId: 'tickets', prefix: '/api/tickets' },
  { appId: 'orders', prefix: '/api/orders' },
  { appId: 'payments', prefix: '/api/payments' },
  { appId: 'expiration' },
] as const

export interface PlatformStackOptions {
  bin: string
  pubsub: Pubsub
  env?: Env
  /** The gateway's port; 0 picks one. */
  port?: number
  /**
   * Set: a lasting run named so (its vhost, Redis database 0, PostgreSQL databases and `dataDir` are kept
   * and found again). Unset: a test run with its own of each, removed on close.
   */
  name?: string
  /** Where services keep their SQLite files and Scheduler its etcd; a temporary folder when unset. */
  dataDir?: string
}

export type PlatformStack = Stack & {
  /** SIGKILLs a service and its sidecar, as a node failure would. */
  crash(appId: string): Promise<void>
  /** Starts a crashed (or stopped) service and its sidecar again on the same ports; resolves once both are ready. */
  revive(appId: string): Promise<void>
  /** Stops a service and its sidecar with SIGTERM. */
  stop(appId: string): Promise<void>
  /** Where every process writes its log. */
  logDir: string
}

/**
 * Starts the marketplace on the real platform: Dapr's placement and scheduler, a daprd per service over the
 * machine's RabbitMQ (or Redis Streams) and Redis, real Kratos and Keto on PostgreSQL, and the gateway.
 * @example const stack = await startPlatformStack({ bin: platformBinaries(), pubsub: 'rabbitmq' })
 */
export async function startPlatformStack(options: PlatformStackOptions): Promise<PlatformStack> {
  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const stop of closers.reverse()) await stop().catch(() => undefined)
  }
  try {
    const env = options.env ?? {}
    const limits = gatewayLimits(env)
    const lasting = options.name !== undefined
    const runId = options.name ?? `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
    const runDir = lasting ? resolve(options.dataDir ?? '.data/platform') : mkdtempSync(join(tmpdir(), `ticketing-${runId}-`))
    const dataDir = options.dataDir ? resolve(options.dataDir) : runDir
    const logDir = join(runDir, 'logs')
    mkdirSync(logDir, { recursive: true })
    if (!lasting) closers.push(async () => rmSync(runDir, { recursive: true, force: true }))

    const urls = platformUrls(env)
    const resources = await claimResources(runId, urls, { keep: lasting, ...(lasting ? { redisDb: 0 } : {}) })
    if (!lasting) closers.push(() => resources.remove())
    const components = writeComponents(runDir, { pubsub: options.pubsub, rabbitmqUrl: resources.rabbitmqUrl, redisHost: urls.redis, redisDb: resources.redisDb })
    const resourcesPaths = [components, join(repo, 'dapr/resiliency')]
    const config = join(repo, 'dapr/configuration.yaml')

    const gatewayPort = options.port || (await freePort())
    const ports = Object.fromEntries(await Promise.all(services.map(async ({ appId }) => [appId, { app: await freePort(), dapr: await sidecarPorts() }] as const)))
    const webhookApiKey = env.WEBHOOK_API_KEY || randomBytes(24).toString('base64url')
    const origin = local(gatewayPort)

    const controlPlane: ControlPlane = await startControlPlane({ bin: options.bin, runDir: logDir, dataDir })
    closers.push(async () => {
      for (const proc of controlPlane.processes) await proc.stop()
    })
    const [keto, kratos] = await Promise.all([
      startRealKeto({ bin: options.bin, runDir: logDir, dsn: resources.postgresDsn(resources.databases.keto) }),
      startRealKratos({
        bin: options.bin,
        runDir: logDir,
        dsn: resources.postgresDsn(resources.databases.kratos),
        origin,
        webhookUrl: `${local(ports.auth!.app)}/hooks/registration`,
        webhookApiKey,
        secret: (env.KRATOS_SECRET ?? randomBytes(24).toString('base64url')).padEnd(32, '0'),
      }),
    ])
    closers.push(() => keto.process.stop(), () => kratos.process.stop())

    type Running = { service?: ManagedProcess; sidecar?: ManagedProcess }
    const running: Record<string, Running> = {}
    const serviceEnv = (appId: string): Env => ({
      LOG_LEVEL: 'info',
      ...env,
      PORT: String(ports[appId]!.app),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DAPR_HTTP_PORT: String(ports[appId]!.dapr),
      KRATOS_PUBLIC_URL: kratos.url,
      KETO_READ_URL: keto.url,
      KETO_WRITE_URL: keto.writeUrl,
      WEBHOOK_API_KEY: webhookApiKey,
      ALLOWED_ORIGINS: [origin, `http://localhost:${gatewayPort}`, env.ALLOWED_ORIGINS].filter(Boolean).join(','),
    })
    const launch = async (appId: string) => {
      const { app, dapr } = ports[appId]!
      const service = startProcess({
        name: appId,
        command: process.execPath,
        args: ['--import', 'tsx', `services/${appId}/src/main.ts`],
        cwd: repo,
        env: serviceEnv(appId),
        logFile: join(logDir, `${appId}.log`),
      })
      const sidecar = startDaprd({ bin: options.bin, runDir: logDir, appId, appPort: app, httpPort: dapr, resourcesPaths, config, controlPlane })
      running[appId] = { service, sidecar }
      await whenReady(service, answers(`${local(app)}/healthz`))
      await whenReady(sidecar, daprdReady(dapr))
    }
    const halt = async (appId: string, how: 'stop' | 'kill') => {
      const { service, sidecar } = running[appId] ?? {}
      // The service first, so its outbox relay's last round still reaches its sidecar.
      await service?.[how]()
      await sidecar?.[how]()
      running[appId] = {}
    }
    closers.push(async () => {
      await Promise.all(Object.keys(running).map((appId) => halt(appId, 'stop')))
    })
    await Promise.all(services.map(({ appId }) => launch(appId)))

    const attached: Array<() => Promise<void>> = []
    closers.push(async () => {
      for (const stop of attached.reverse()) await stop()
    })
    const attach = async (appId: string, appUrl: string) => {
      const httpPort = await sidecarPorts()
      const sidecar = startDaprd({ bin: options.bin, runDir: logDir, appId, appPort: Number(new URL(appUrl).port), httpPort, resourcesPaths, config, controlPlane })
      attached.push(() => sidecar.stop())
      await whenReady(sidecar, daprdReady(httpPort))
      return { url: local(httpPort), close: () => sidecar.stop() }
    }

    // Dead letters as a subscriber of its own sees them: every service's dead-letter topic.
    const deadLetterApp = await startRecordingApp({
      subscriptions: services.map(({ appId }) => ({ pubsubname: env.PUBSUB_NAME ?? 'pubsub', topic: deadLetterTopic(appId), route: `/dead/${appId}` })),
    })
    closers.push(() => deadLetterApp.close())
    await attach('dead-letters', deadLetterApp.url)

    const logger = createLogger({ name: 'gateway', level: env.LOG_LEVEL ?? 'info' })
    const gateway = await listen(
      createGateway({
        services: Object.fromEntries(services.flatMap((s) => ('prefix' in s ? [[s.prefix, local(ports[s.appId]!.app)] as const] : []))),
        kratosUrl: kratos.url,
        webDir: join(repo, 'web/dist'),
        limits,
        logger,
      }),
      { port: gatewayPort },
    )
    closers.push(() => gateway.close())

    const sidecars = Object.fromEntries(services.map(({ appId }) => [appId, local(ports[appId]!.dapr)]))
    return {
      url: gateway.url,
      sidecars,
      logDir,
      attach,
      async settle() {
        // Empty twice in a row: a handler that just acknowledged may still be publishing what it caused.
        let quiet = 0
        const deadline = Date.now() + 60_000
        while (quiet < 2) {
          if (Date.now() > deadline) throw new Error('events were still pending after 60 s')
          quiet = (await resources.pendingMessages(options.pubsub)) === 0 ? quiet + 1 : 0
          await new Promise((r) => setTimeout(r, 250))
        }
      },
      async deadLetters() {
        return deadLetterApp.calls
          .filter((call) => call.path.startsWith('/dead/'))
          .map((call): DeadLetterSeen => {
            const event = call.body as DeadLetterSeen['event'] & { topic: string }
            const appId = call.path.slice('/dead/'.length)
            return { appId, topic: event.topic, deadLetterTopic: deadLetterTopic(appId), event }
          })
      },
      crash: (appId) => halt(appId, 'kill'),
      stop: (appId) => halt(appId, 'stop'),
      revive: (appId) => launch(appId),
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}
