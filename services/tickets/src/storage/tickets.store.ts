import { memoryOutbox, type Outbox, type OutboxEvent } from '@ticketing/shared/platform'
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

type Row = { ticket: Ticket; outbox: OutboxEvent[]; unpublishable?: OutboxEvent[] }

/** Keeps tickets in process memory: the one-machine run and fast tests. */
export function createMemoryTicketsStore(): TicketsStore {
  const rows = new Map<string, Row>()
  const copy = <T>(value: T): T => structuredClone(value)

  return {
    async insert(ticket, events) {
      if (rows.has(ticket.id)) throw new Error(`ticket ${ticket.id} exists already`)
      rows.set(ticket.id, { ticket: copy(ticket), outbox: copy(events) })
    },
    async get(id) {
      const row = rows.get(id)
      return row ? copy(row.ticket) : null
    },
    async search({ q, limit, after }) {
      const needle = q?.toLowerCase()
      return [...rows.values()]
        .map((row) => row.ticket)
        .filter((t) => (after === undefined || t.id < after) && (!needle || t.title.toLowerCase().includes(needle)))
        .sort((a, b) => (a.id < b.id ? 1 : -1))
        .slice(0, limit)
        .map(copy)
    },
    async replace(ticket, expectedVersion, events) {
      const row = rows.get(ticket.id)
      if (!row || row.ticket.version !== expectedVersion) return false
      rows.set(ticket.id, { ...row, ticket: copy(ticket), outbox: [...row.outbox, ...copy(events)] })
      return true
    },
    ...memoryOutbox(rows),
  }
}
