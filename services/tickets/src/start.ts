import { v7 as uuidv7 } from 'uuid'
import {
  connectMongo, createDaprPublisher, createLogger, createOutboxRelay, createPermissions, kratosIdentify, listen,
} from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import { createMemoryTicketsStore, type TicketsStore } from './storage/tickets.store'
import { createMongoTicketsStore } from './storage/tickets.mongo'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startTickets(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  const logger = createLogger({ name: 'tickets', level: config.LOG_LEVEL })
  const mongo = config.MONGO_URL ? await connectMongo(config.MONGO_URL, 'tickets') : undefined
  const store: TicketsStore = mongo ? await createMongoTicketsStore(mongo.db) : createMemoryTicketsStore()
  const publisher = createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME })
  const relay = createOutboxRelay({ outbox: store, publisher, logger })

  const app = createApp({
    store,
    relay,
    logger,
    pubsubName: config.PUBSUB_NAME,
    identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
    permissions: createPermissions({ readUrl: config.KETO_READ_URL, writeUrl: config.KETO_WRITE_URL }),
    clock: () => new Date(),
    newId: uuidv7,
  })
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  relay.start()
  logger.info({ url: server.url }, 'tickets listening')

  return {
    ...server,
    relay,
    async close() {
      await server.close()
      await relay.stop()
      await mongo?.close()
    },
  }
}
