import type { Identify } from '@ticketing/shared/auth'
import type { Logger } from '@ticketing/shared/platform'
import type { UsersStore } from './storage/users.store'

export type Deps = {
  store: UsersStore
  identify: Identify
  logger: Logger
  webhookApiKey: string
  clock: () => Date
  /** The app's own origins (ALLOWED_ORIGINS): only their pages may write with the session cookie; empty: the request's forwarded origin. */
  allowedOrigins?: readonly string[]
}
