import type { Logger, Reminders } from '@ticketing/shared/platform'
import type { Publisher } from '@ticketing/shared/publisher'
import type { ExpirationStore } from './storage/expirations.store'

/** Everything the expiration app needs from the outside, built once by the composition root. */
export type Deps = {
  store: ExpirationStore
  reminders: Reminders
  publisher: Publisher
  logger: Logger
  pubsubName: string
}
