import { v7 as uuidv7 } from 'uuid'
import {
  connectMongo, createDaprPublisher, createLogger, createOutboxRelay, createPermissions, kratosIdentify, listen,
} from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import { createMemoryOrdersStore } from './storage/orders.store'
import { createMongoOrdersStore } from './storage/orders.mongo'
import { createMemoryTicketReplicasStore } from './storage/ticket-replicas.store'
import { createMongoTicketReplicasStore } from './storage/ticket-replicas.mongo'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startOrders(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  const logger = createLogger({ name: 'orders', level: config.LOG_LEVEL })
  const mongo = config.MONGO_URL ? await connectMongo(config.MONGO_URL, 'orders') : undefined
  const orders = mongo ? await createMongoOrdersStore(mongo.db) : createMemoryOrdersStore()
  const tickets = mongo ? createMongoTicketReplicasStore(mongo.db) : createMemoryTicketReplicasStore()
  const publisher = createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME })
  const relay = createOutboxRelay({ outbox: orders, publisher, logger })

  const app = createApp({
    orders,
    tickets,
    relay,
    logger,
    pubsubName: config.PUBSUB_NAME,
    expirationWindowSeconds: config.EXPIRATION_WINDOW_SECONDS,
    identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
    permissions: createPermissions({ readUrl: config.KETO_READ_URL, writeUrl: config.KETO_WRITE_URL }),
    clock: () => new Date(),
    newId: uuidv7,
  })
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  relay.start()
  logger.info({ url: server.url }, 'orders listening')

  return {
    ...server,
    async close() {
      await server.close()
      await relay.stop()
      await mongo?.close()
    },
  }
}
