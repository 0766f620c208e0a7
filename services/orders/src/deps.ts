import type { Identify } from '@ticketing/shared/auth'
import type { Logger, OutboxRelay } from '@ticketing/shared/platform'
import type { Permissions } from '@ticketing/shared/permissions'
import type { OrdersStore } from './storage/orders.store'
import type { TicketReplicasStore } from './storage/ticket-replicas.store'

/** Everything the orders app needs from the outside, built once by the composition root. */
export type Deps = {
  orders: OrdersStore
  tickets: TicketReplicasStore
  permissions: Permissions
  identify: Identify
  relay: Pick<OutboxRelay, 'kick'>
  logger: Logger
  pubsubName: string
  expirationWindowSeconds: number
  clock: () => Date
  newId: () => string
  /** The app's own origins (ALLOWED_ORIGINS): only their pages may write with the session cookie; empty: the request's forwarded origin. */
  allowedOrigins?: readonly string[]
}
