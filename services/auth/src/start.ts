import { connectMongo, createLogger, kratosIdentify, listen } from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import { createMemoryUsersStore } from './storage/users.store'
import { createMongoUsersStore } from './storage/users.mongo'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startAuth(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  const logger = createLogger({ name: 'auth', level: config.LOG_LEVEL })
  const mongo = config.MONGO_URL ? await connectMongo(config.MONGO_URL, 'auth') : undefined
  const app = createApp({
    store: mongo ? await createMongoUsersStore(mongo.db) : createMemoryUsersStore(),
    identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
    logger,
    webhookApiKey: config.WEBHOOK_API_KEY,
    clock: () => new Date(),
  })
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  logger.info({ url: server.url }, 'auth listening')
  return {
    ...server,
    async close() {
      await server.close()
      await mongo?.close()
    },
  }
}
