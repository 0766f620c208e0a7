import { memoryOutbox, type Outbox, type OutboxEvent } from '@ticketing/shared/platform'
import type { Order } from '../domain/order'

/**
 * The orders port. At most one order that is not cancelled may hold a ticket: `insert` enforces it
 * atomically (a unique hold per ticket), so concurrent buyers get exactly one order.
 */
export interface OrdersStore extends Outbox {
  /** Stores the order and its events; 'ticket-held' when another live order holds the ticket. */
  insert(order: Order, events: OutboxEvent[]): Promise<'stored' | 'ticket-held'>
  get(id: string): Promise<Order | null>
  /** Orders placed by `userId`, newest first. */
  listByBuyer(userId: string, limit: number): Promise<Order[]>
  /** Orders placed on tickets `sellerId` sells, newest first. */
  listBySeller(sellerId: string, limit: number): Promise<Order[]>
  /** Replaces the order if still at `expectedVersion`; a cancelled order lets go of its ticket. */
  replace(order: Order, expectedVersion: number, events: OutboxEvent[]): Promise<boolean>
}

/** The key that makes holds unique: the ticket while the order lives, a key of its own once cancelled. */
export const holdKey = (order: Order) => (order.status === 'cancelled' ? `released/${order.id}` : order.ticket.id)

const newestFirst = (a: Order, b: Order) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)

/** Keeps orders in process memory: the one-machine run and fast tests. */
export function createMemoryOrdersStore(): OrdersStore {
  const rows = new Map<string, { order: Order; outbox: OutboxEvent[]; unpublishable?: OutboxEvent[] }>()
  const copy = <T>(value: T): T => structuredClone(value)
  const list = (keep: (o: Order) => boolean, limit: number) =>
    [...rows.values()].map((r) => r.order).filter(keep).sort(newestFirst).slice(0, limit).map(copy)

  return {
    async insert(order, events) {
      if (rows.has(order.id)) throw new Error(`order ${order.id} exists already`)
      if ([...rows.values()].some((r) => holdKey(r.order) === holdKey(order))) return 'ticket-held'
      rows.set(order.id, { order: copy(order), outbox: copy(events) })
      return 'stored'
    },
    async get(id) {
      const row = rows.get(id)
      return row ? copy(row.order) : null
    },
    listByBuyer: async (userId, limit) => list((o) => o.userId === userId, limit),
    listBySeller: async (sellerId, limit) => list((o) => o.ticket.sellerId === sellerId, limit),
    async replace(order, expectedVersion, events) {
      const row = rows.get(order.id)
      if (!row || row.order.version !== expectedVersion) return false
      rows.set(order.id, { ...row, order: copy(order), outbox: [...row.outbox, ...copy(events)] })
      return true
    },
    ...memoryOutbox(rows),
  }
}
