import type { Identify } from '@ticketing/shared/auth'
import type { Logger, OutboxRelay } from '@ticketing/shared/platform'
import type { Permissions } from '@ticketing/shared/permissions'
import type { PaymentGateway } from './gateway/payment-gateway'
import type { WebhookVerifier } from './gateway/stripe-webhook'
import type { PaymentsStore } from './storage/payments.store'

/** Everything the payments app needs from the outside, built once by the composition root. */
export type Deps = {
  store: PaymentsStore
  gateway: PaymentGateway
  /** Absent when no web-hook signing secret is configured: the web-hook route then answers 503. */
  verifyWebhook?: WebhookVerifier
  permissions: Permissions
  identify: Identify
  relay: Pick<OutboxRelay, 'kick'>
  logger: Logger
  pubsubName: string
  /** ISO 4217 code in lower case, as Stripe wants it. */
  currency: string
  clock: () => Date
  newId: () => string
  /** The app's own origins (ALLOWED_ORIGINS): only their pages may write with the session cookie; empty: the request's forwarded origin. */
  allowedOrigins?: readonly string[]
}
