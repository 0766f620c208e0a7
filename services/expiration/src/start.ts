import { createDaprPublisher, createLogger, createReminders, listen } from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import { createDaprExpirationStore } from './storage/expirations.dapr'

/** Composition root: config → sidecar clients → app → server. Resolves once the service listens. */
export async function startExpiration(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  const logger = createLogger({ name: 'expiration', level: config.LOG_LEVEL })
  const daprUrl = `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`

  const app = createApp({
    store: createDaprExpirationStore({ daprUrl, storeName: config.STATE_STORE_NAME }),
    reminders: createReminders({ daprUrl }),
    publisher: createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME }),
    logger,
    pubsubName: config.PUBSUB_NAME,
  })
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  logger.info({ url: server.url }, 'expiration listening')
  return server
}
