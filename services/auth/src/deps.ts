import type { Identify, Logger } from '@ticketing/shared/platform'
import type { UsersStore } from './storage/users.store'

export type Deps = {
  store: UsersStore
  identify: Identify
  logger: Logger
  webhookApiKey: string
  clock: () => Date
}
