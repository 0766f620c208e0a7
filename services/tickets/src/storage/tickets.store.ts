import type { Outbox, OutboxEvent } from '@ticketing/shared/platform'
import type { Ticket } from '../domain/ticket'

export type SearchQuery = { q?: string; limit: number; after?: string }

/** The tickets port. Every write stores the ticket and the events it must publish in one atomic step. */
export interface TicketsStore extends Outbox {
  insert(ticket: Ticket, events: OutboxEvent[]): Promise<void>
  get(id: string): Promise<Ticket | null>
  /** Titles containing `q` (any case), newest first, ids below `after` only. */
  search(query: SearchQuery): Promise<Ticket[]>
  /** Replaces the ticket if it is still at `expectedVersion`; false when someone else changed it first. */
  replace(ticket: Ticket, expectedVersion: number, events: OutboxEvent[]): Promise<boolean>
}
