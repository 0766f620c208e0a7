import { EXPIRATION_COMPLETED, PAYMENT_CREATED, TICKET_CREATED, TICKET_UPDATED } from '@ticketing/shared/contracts'
import { subscribe, type Subscription } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { completeOrder, expireOrder, recordTicket } from '../domain/apply-events'

/** Ticket events feed the replica and check reservations; expiry cancels, payment completes. */
export function subscriptions(deps: Deps): Subscription[] {
  return [
    subscribe(TICKET_CREATED, (ticket, meta) => recordTicket(deps, ticket, meta)),
    subscribe(TICKET_UPDATED, (ticket, meta) => recordTicket(deps, ticket, meta)),
    subscribe(EXPIRATION_COMPLETED, (expiration) => expireOrder(deps, expiration)),
    subscribe(PAYMENT_CREATED, (payment, meta) => completeOrder(deps, payment, meta)),
  ]
}
