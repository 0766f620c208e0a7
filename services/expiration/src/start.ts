import { createDaprPublisher } from '@ticketing/shared/publisher'
import { createReminders, runService } from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import { createDaprExpirationStore } from './storage/expirations.dapr'

/** Composition root: config → sidecar clients → app → server. Resolves once the service listens. */
export async function startExpiration(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  const daprUrl = `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`
  return runService({
    name: 'expiration',
    config,
    build: async ({ logger }) => ({
      app: createApp({
        store: createDaprExpirationStore({ daprUrl, storeName: config.STATE_STORE_NAME }),
        reminders: createReminders({ daprUrl }),
        publisher: createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME }),
        logger,
        pubsubName: config.PUBSUB_NAME,
      }),
    }),
  })
}
