import { createLogger, type Logger } from './logger'
import type { OutboxRelay } from './outbox'
import { listen, type RunningServer } from './server'

type ServiceConfig = { PORT: number; HOST: string; LOG_LEVEL: string }

/**
 * The life of a service process: logger, the app and what `build` opened (its storage, its outbox relay),
 * and a `close` that stops them in order: no new requests, then the relay's last round, then `build`'s close.
 * @example return runService({ name: 'tickets', config, build: async ({ logger }) => ({ app: createApp(...), relay, close }) })
 */
export async function runService(options: {
  name: string
  config: ServiceConfig
  build: (context: { logger: Logger }) => Promise<{ app: Parameters<typeof listen>[0]; relay?: OutboxRelay; details?: object; close?: () => Promise<void> }>
}): Promise<RunningServer> {
  const { name, config } = options
  const logger = createLogger({ name, level: config.LOG_LEVEL })
  const built = await options.build({ logger })
  const { app, relay, details } = built
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  relay?.start()
  logger.info({ url: server.url, ...details }, `${name} listening`)
  return {
    ...server,
    async close() {
      await server.close()
      await relay?.stop()
      await built.close?.()
    },
  }
}
