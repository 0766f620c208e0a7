import { createBroker, type Broker, type BrokerOptions } from '../broker'
import type { RetryPolicy } from '../retry-policy'
import { startSidecar, type Sidecar, type SidecarOptions } from '../sidecar'
import { startRecordingApp, type RecordingApp, type RecordingAppOptions } from './recording-app'
import { createRecordingLogger } from './recording-logger'

/** A broker with quick retries plus helpers that start apps and sidecars and close them all afterwards. */
export interface Harness {
  broker: Broker
  logger: ReturnType<typeof createRecordingLogger>
  app(options?: RecordingAppOptions): Promise<RecordingApp>
  sidecar(appId: string, app: { url: string }, options?: Partial<SidecarOptions>): Promise<Sidecar>
  close(): Promise<void>
}

/** Retries that keep tests quick: `maxAttempts` in all, 5 ms doubling to 20 ms. */
export const quickRetries = (maxAttempts = 3): RetryPolicy => ({
  maxRetries: maxAttempts - 1,
  initialIntervalMs: 5,
  multiplier: 2,
  maxIntervalMs: 20,
  randomization: 0,
  maxElapsedMs: Infinity,
})

/** Creates a harness; call close() in afterEach. */
export function createHarness(options: BrokerOptions = {}): Harness {
  const logger = createRecordingLogger()
  const broker = createBroker({ delivery: quickRetries(), reminderRetries: quickRetries(), logger, ...options })
  const closers: Array<() => Promise<void>> = []
  return {
    broker,
    logger,
    async app(appOptions) {
      const app = await startRecordingApp(appOptions)
      closers.push(() => app.close())
      return app
    },
    async sidecar(appId, app, sidecarOptions) {
      const sidecar = await startSidecar({ appId, appUrl: app.url, broker, ...sidecarOptions })
      closers.push(() => sidecar.close())
      return sidecar
    },
    async close() {
      await broker.close()
      for (const close of closers.reverse()) await close()
    },
  }
}
