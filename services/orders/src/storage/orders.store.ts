import type { Outbox, OutboxEvent } from '@ticketing/shared/platform'
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
