import type { OrderStatus, TicketCreated } from '@ticketing/shared/contracts'

/** What the tickets service knows of an order placed on one of its tickets. */
export type OrderHold = { id: string; version: number; status: OrderStatus }

export type Ticket = {
  id: string
  title: string
  description: string
  price: number
  userId: string
  orderId?: string
  version: number
  createdAt: string
  updatedAt: string
  /** Every order seen on this ticket with its latest version, so late or repeated events change nothing. */
  holds: OrderHold[]
}

export type TicketChanges = Partial<Pick<Ticket, 'title' | 'description' | 'price'>>

export const isReserved = (ticket: Ticket) => ticket.orderId !== undefined

/** A new ticket at version 1, owned by its seller. */
export function newTicket(fields: { id: string; userId: string; title: string; description: string; price: number }, now: Date): Ticket {
  const at = now.toISOString()
  return { ...fields, version: 1, createdAt: at, updatedAt: at, holds: [] }
}

/** The seller's edit as the next version. */
export function edit(ticket: Ticket, changes: TicketChanges, now: Date): Ticket {
  return { ...ticket, ...changes, version: ticket.version + 1, updatedAt: now.toISOString() }
}

/**
 * Applies what an order event says about this ticket; null when the event is not newer than what is known.
 * The ticket is reserved by the order that is still alive (created or complete), released when none is.
 */
export function applyOrder(ticket: Ticket, hold: OrderHold, now: Date): Ticket | null {
  const known = ticket.holds.find((h) => h.id === hold.id)
  if (known && known.version >= hold.version) return null
  const holds = [...ticket.holds.filter((h) => h.id !== hold.id), hold]
  const holder = holds.findLast((h) => h.status !== 'cancelled')
  const { orderId: _released, ...rest } = ticket
  return {
    ...rest,
    ...(holder ? { orderId: holder.id } : {}),
    holds,
    version: ticket.version + 1,
    updatedAt: now.toISOString(),
  }
}

/** The ticket as events and the API show it. */
export function toEvent(ticket: Ticket): TicketCreated {
  const { id, title, description, price, userId, orderId, version } = ticket
  return { id, title, description, price, userId, ...(orderId ? { orderId } : {}), version }
}
