import type { Db } from 'mongodb'
import { createLogger, type Logger } from './logger'
import type { OutboxRelay } from './outbox'
import { listen, type RunningServer } from './server'

type ServiceConfig = { PORT: number; HOST: string; LOG_LEVEL: string; MONGO_URL?: string }

/**
 * The life of a service process: logger, optional MongoDB database, the app, its outbox relay, and a
 * `close` that stops them in order (no new requests, then the relay's last round, then the database).
 * @example return runService({ name: 'tickets', config, connectMongo, build: async ({ logger, db }) => ({ app: createApp(...), relay }) })
 */
export async function runService(options: {
  name: string
  config: ServiceConfig
  /** How to reach MONGO_URL (`connectMongo` of ./mongo), for a service that stores documents. */
  connectMongo?: (url: string, dbName: string) => Promise<{ db: Db; close(): Promise<void> }>
  build: (context: { logger: Logger; db?: Db }) => Promise<{ app: Parameters<typeof listen>[0]; relay?: OutboxRelay; details?: object }>
}): Promise<RunningServer> {
  const { name, config } = options
  const logger = createLogger({ name, level: config.LOG_LEVEL })
  // No MONGO_URL: the service keeps its data in memory (the one-machine run).
  const mongo = config.MONGO_URL && options.connectMongo ? await options.connectMongo(config.MONGO_URL, name) : undefined
  const { app, relay, details } = await options.build({ logger, ...(mongo ? { db: mongo.db } : {}) })
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  relay?.start()
  logger.info({ url: server.url, storage: mongo ? 'mongodb' : 'memory', ...details }, `${name} listening`)
  return {
    ...server,
    async close() {
      await server.close()
      await relay?.stop()
      await mongo?.close()
    },
  }
}
