import type { TicketReplica } from '../domain/order'

/** The orders service's copy of tickets: a newer version replaces an older one, anything else is ignored. */
export interface TicketReplicasStore {
  /** True when `ticket` was newer than what was held (or new) and is now stored. */
  upsert(ticket: TicketReplica): Promise<boolean>
  get(id: string): Promise<TicketReplica | null>
}
