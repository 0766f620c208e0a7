import type { Identify } from '@ticketing/shared/auth'
import type { Logger } from '@ticketing/shared/platform'
import type { UsersStore } from './storage/users.store'

export type Deps = {
  store: UsersStore
  identify: Identify
  logger: Logger
  webhookApiKey: string
  clock: () => Date
}
