import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createBroker, inboundRetries, startSidecar } from '../src/dapr'
import type { RecordingApp } from '../src/dapr/testing/recording-app'
import { createRecordingLogger } from '../src/dapr/testing/recording-logger'
import { writeComponents } from '../src/platform/components'
import { daprdReady, sidecarPorts, startControlPlane, startDaprd } from '../src/platform/dapr'
import { whenReady } from '../src/platform/process'
import { claimResources, platformUrls } from '../src/platform/resources'

// One interface over whichever Dapr a tier has: the stand-in (contract tier), or real daprd with
// placement and scheduler over the machine's RabbitMQ and Redis (platform tier).

const repo = resolve(import.meta.dirname, '../..')

/** A sidecar in front of an app; `stop` ends the sidecar only. */
export interface SidecarUnderTest {
  url: string
  stop(): Promise<void>
}

export interface DaprUnderTest {
  real: boolean
  /** Starts a sidecar for `appId` in front of `app`; resolves once it is ready (discovery done). */
  sidecar(appId: string, app: RecordingApp): Promise<SidecarUnderTest>
  close(): Promise<void>
}

/** Starts the Dapr of this tier, with `resiliency` (a Resiliency document) as its retry policies. */
export async function startDaprUnderTest(options: { real: boolean; bin?: string; resiliency: string }): Promise<DaprUnderTest> {
  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const stop of closers.reverse()) await stop().catch(() => undefined)
  }
  if (!options.real) {
    const broker = createBroker({ delivery: inboundRetries(options.resiliency, 'pubsub'), logger: createRecordingLogger() })
    closers.push(() => broker.close())
    return {
      real: false,
      async sidecar(appId, app) {
        const sidecar = await startSidecar({ appId, appUrl: app.url, broker, appHealthCheck: { path: '/healthz' } })
        closers.push(() => sidecar.close())
        return { url: sidecar.url, stop: () => sidecar.close() }
      },
      close,
    }
  }
  try {
    const bin = options.bin ?? ''
    const runDir = mkdtempSync(join(tmpdir(), 'dapr-fidelity-'))
    closers.push(async () => rmSync(runDir, { recursive: true, force: true }))
    const urls = platformUrls(process.env)
    const resources = await claimResources(`f${randomBytes(4).toString('hex')}`, urls, { keep: false })
    closers.push(() => resources.remove())
    const components = writeComponents(runDir, { pubsub: 'rabbitmq', rabbitmqUrl: resources.rabbitmqUrl, redisHost: urls.redis, redisDb: resources.redisDb })
    const resiliencyDir = join(runDir, 'resiliency')
    mkdirSync(resiliencyDir)
    writeFileSync(join(resiliencyDir, 'resiliency.yaml'), options.resiliency)
    const controlPlane = await startControlPlane({ bin, runDir, dataDir: runDir })
    closers.push(async () => {
      for (const proc of controlPlane.processes) await proc.stop()
    })
    return {
      real: true,
      async sidecar(appId, app) {
        const httpPort = await sidecarPorts()
        const daprd = startDaprd({
          bin, runDir, appId, appPort: app.port, httpPort, controlPlane,
          resourcesPaths: [components, resiliencyDir],
          config: join(repo, 'dapr/configuration.yaml'),
        })
        closers.push(() => daprd.stop())
        await whenReady(daprd, daprdReady(httpPort))
        return { url: `http://127.0.0.1:${httpPort}`, stop: () => daprd.stop() }
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
