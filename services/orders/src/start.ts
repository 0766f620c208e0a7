import { openStorage } from '@ticketing/shared/storage'
import { v7 as uuidv7 } from 'uuid'
import { createDaprPublisher } from '@ticketing/shared/publisher'
import { createOutboxRelay, runService } from '@ticketing/shared/platform'
import { createPermissions } from '@ticketing/shared/permissions'
import { kratosIdentify } from '@ticketing/shared/auth'
import { createApp } from './app'
import { loadConfig } from './config'
import { createMongoOrdersStore } from './storage/orders.mongo'
import { createSqliteOrdersStore } from './storage/orders.sqlite'
import { createMongoTicketReplicasStore } from './storage/ticket-replicas.mongo'
import { createSqliteTicketReplicasStore } from './storage/ticket-replicas.sqlite'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startOrders(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  return runService({
    name: 'orders',
    config,
    build: async ({ logger }) => {
      const storage = await openStorage('orders', config)
      const orders = storage.kind === 'mongodb' ? await createMongoOrdersStore(storage.db) : createSqliteOrdersStore(storage.db)
      const publisher = createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME })
      const relay = createOutboxRelay({ outbox: orders, publisher, logger })
      const app = createApp({
        orders,
        tickets: storage.kind === 'mongodb' ? createMongoTicketReplicasStore(storage.db) : createSqliteTicketReplicasStore(storage.db),
        relay,
        logger,
        pubsubName: config.PUBSUB_NAME,
        expirationWindowSeconds: config.EXPIRATION_WINDOW_SECONDS,
        identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
        allowedOrigins: config.ALLOWED_ORIGINS,
        permissions: createPermissions({ readUrl: config.KETO_READ_URL, writeUrl: config.KETO_WRITE_URL }),
        clock: () => new Date(),
        newId: uuidv7,
      })
      return { app, relay, close: storage.close, details: { storage: storage.where } }
    },
  })
}
