import { outboxEvent, PoisonMessageError } from '@ticketing/shared/platform'
import { TICKET_UPDATED } from '@ticketing/shared/contracts'
import type { Deps } from '../deps'
import { applyOrder, toEvent, type OrderHold } from './ticket'

const ATTEMPTS = 5

/**
 * Reserves or releases a ticket after an order event, each change a new version.
 * Concurrent writers are settled by the version guard: re-read and re-apply.
 */
export async function applyOrderEvent(deps: Deps, ticketId: string, hold: OrderHold): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const ticket = await deps.store.get(ticketId)
    if (!ticket) throw new PoisonMessageError(`order ${hold.id} names unknown ticket ${ticketId}`)
    const next = applyOrder(ticket, hold, deps.clock())
    if (!next) return
    const data = toEvent(next)
    if (await deps.store.replace(next, ticket.version, [outboxEvent(TICKET_UPDATED, data)])) {
      deps.relay.kick()
      return
    }
  }
  throw new Error(`ticket ${ticketId} kept changing; the event will be redelivered`)
}
