import { openStorage } from '@ticketing/shared/storage'
import { v7 as uuidv7 } from 'uuid'
import { createDaprPublisher } from '@ticketing/shared/publisher'
import { createOutboxRelay, runService } from '@ticketing/shared/platform'
import { createPermissions } from '@ticketing/shared/permissions'
import { kratosIdentify } from '@ticketing/shared/auth'
import { createApp } from './app'
import { loadConfig } from './config'
import { createMongoTicketsStore } from './storage/tickets.mongo'
import { createSqliteTicketsStore } from './storage/tickets.sqlite'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startTickets(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  return runService({
    name: 'tickets',
    config,
    build: async ({ logger }) => {
      const storage = await openStorage('tickets', config)
      const store = storage.kind === 'mongodb' ? await createMongoTicketsStore(storage.db) : createSqliteTicketsStore(storage.db)
      const publisher = createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME })
      const relay = createOutboxRelay({ outbox: store, publisher, logger })
      const app = createApp({
        store,
        relay,
        logger,
        pubsubName: config.PUBSUB_NAME,
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
