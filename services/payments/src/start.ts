import { openStorage } from '@ticketing/shared/storage'
import { v7 as uuidv7 } from 'uuid'
import { createDaprPublisher } from '@ticketing/shared/publisher'
import { createOutboxRelay, runService } from '@ticketing/shared/platform'
import { createPermissions } from '@ticketing/shared/permissions'
import { kratosIdentify } from '@ticketing/shared/auth'
import { createApp } from './app'
import { loadConfig } from './config'
import type { PaymentGateway } from './gateway/payment-gateway'
import { createSimulatedGateway } from './gateway/simulated.gateway'
import { createStripeGateway } from './gateway/stripe.gateway'
import { createStripeWebhookVerifier } from './gateway/stripe-webhook'
import { createMongoPaymentsStore } from './storage/payments.mongo'
import { createSqlitePaymentsStore } from './storage/payments.sqlite'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startPayments(env: Record<string, string | undefined>) {
  const config = loadConfig(env)

  return runService({
    name: 'payments',
    config,
    build: async ({ logger }) => {
      const storage = await openStorage('payments', config)
      const store = storage.kind === 'mongodb' ? await createMongoPaymentsStore(storage.db) : createSqlitePaymentsStore(storage.db)
      // The simulator keeps its intents and idempotency answers in the service's SQLite file, so a restart leaves
      // them payable. On MongoDB they stay in memory and a restart forgets them: the cluster pays through real Stripe.
      const gateway: PaymentGateway = config.STRIPE_SECRET_KEY
        ? createStripeGateway({
            secretKey: config.STRIPE_SECRET_KEY,
            host: config.STRIPE_API_HOST,
            port: config.STRIPE_API_PORT,
            protocol: config.STRIPE_API_PROTOCOL,
          })
        : storage.kind === 'sqlite' ? createSimulatedGateway(storage.db) : createSimulatedGateway()
      const publisher = createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME })
      const relay = createOutboxRelay({ outbox: store, publisher, logger })
      const app = createApp({
        store,
        gateway,
        ...(config.STRIPE_WEBHOOK_SECRET ? { verifyWebhook: createStripeWebhookVerifier(config.STRIPE_WEBHOOK_SECRET) } : {}),
        relay,
        logger,
        pubsubName: config.PUBSUB_NAME,
        currency: config.CURRENCY,
        identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
        allowedOrigins: config.ALLOWED_ORIGINS,
        permissions: createPermissions({ readUrl: config.KETO_READ_URL, writeUrl: config.KETO_WRITE_URL }),
        clock: () => new Date(),
        newId: uuidv7,
      })
      const details = { storage: storage.where, gateway: config.STRIPE_SECRET_KEY ? 'stripe' : 'simulated', webhook: Boolean(config.STRIPE_WEBHOOK_SECRET) }
      return { app, relay, details, close: storage.close }
    },
  })
}
