import { v7 as uuidv7 } from 'uuid'
import {
  connectMongo, createDaprPublisher, createLogger, createOutboxRelay, createPermissions, kratosIdentify, listen,
} from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import type { PaymentGateway } from './gateway/payment-gateway'
import { createSimulatedGateway } from './gateway/simulated.gateway'
import { createStripeGateway } from './gateway/stripe.gateway'
import { createStripeWebhookVerifier } from './gateway/stripe-webhook'
import { createMemoryPaymentsStore, type PaymentsStore } from './storage/payments.store'
import { createMongoPaymentsStore } from './storage/payments.mongo'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startPayments(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  const logger = createLogger({ name: 'payments', level: config.LOG_LEVEL })
  const mongo = config.MONGO_URL ? await connectMongo(config.MONGO_URL, 'payments') : undefined
  const store: PaymentsStore = mongo ? await createMongoPaymentsStore(mongo.db) : createMemoryPaymentsStore()
  const publisher = createDaprPublisher({ daprHost: config.DAPR_HOST, daprPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME })
  const relay = createOutboxRelay({ outbox: store, publisher, logger })
  const gateway: PaymentGateway = config.STRIPE_SECRET_KEY
    ? createStripeGateway({
        secretKey: config.STRIPE_SECRET_KEY,
        host: config.STRIPE_API_HOST,
        port: config.STRIPE_API_PORT,
        protocol: config.STRIPE_API_PROTOCOL,
      })
    : createSimulatedGateway()

  const app = createApp({
    store,
    gateway,
    ...(config.STRIPE_WEBHOOK_SECRET ? { verifyWebhook: createStripeWebhookVerifier(config.STRIPE_WEBHOOK_SECRET) } : {}),
    relay,
    logger,
    pubsubName: config.PUBSUB_NAME,
    currency: config.CURRENCY,
    identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
    permissions: createPermissions({ readUrl: config.KETO_READ_URL, writeUrl: config.KETO_WRITE_URL }),
    clock: () => new Date(),
    newId: uuidv7,
  })
  const server = await listen(app, { port: config.PORT, hostname: config.HOST })
  relay.start()
  logger.info(
    { url: server.url, gateway: config.STRIPE_SECRET_KEY ? 'stripe' : 'simulated', webhook: Boolean(config.STRIPE_WEBHOOK_SECRET) },
    'payments listening',
  )

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
