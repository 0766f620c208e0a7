import type { Identify } from '@ticketing/shared/auth'
import type { Logger, OutboxRelay } from '@ticketing/shared/platform'
import type { Permissions } from '@ticketing/shared/permissions'
import type { TicketsStore } from './storage/tickets.store'

/** Everything the tickets app needs from the outside, built once by the composition root. */
export type Deps = {
  store: TicketsStore
  permissions: Permissions
  identify: Identify
  relay: Pick<OutboxRelay, 'kick'>
  logger: Logger
  pubsubName: string
  clock: () => Date
  newId: () => string
  /** The app's own origins (ALLOWED_ORIGINS): only their pages may write with the session cookie; empty: the request's forwarded origin. */
  allowedOrigins?: readonly string[]
}
