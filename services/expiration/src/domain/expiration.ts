import type { OrderStatus } from '@ticketing/shared/contracts'

/** The Dapr actor type whose reminders expire orders; its actor id is the order id. */
export const ACTOR_TYPE = 'OrderExpiration'

/** The one-shot reminder each order's actor holds while the order waits for payment. */
export const REMINDER_NAME = 'expire'

/** The order's status as last seen, or `expired` once this service has announced its expiry. */
export type ExpirationStatus = OrderStatus | 'expired'

/** What the service keeps per order: the newest version seen and where the order stands. */
export type ExpirationRecord = { version: number; status: ExpirationStatus }

/** What an order event says, as far as expiry is concerned. */
export type OrderFact =
  | { status: 'created'; version: number; expiresAt: string }
  | { status: 'cancelled' | 'complete'; version: number }

export type Effect = { kind: 'schedule'; dueTime: string } | { kind: 'unschedule' } | { kind: 'none' }

/** The record to write (none when it stays as it is) and what to do with the reminder afterwards. */
export type Decision = { record?: ExpirationRecord; effect: Effect }

const none: Effect = { kind: 'none' }

const effectOf = (fact: OrderFact): Effect =>
  fact.status === 'created' ? { kind: 'schedule', dueTime: fact.expiresAt } : { kind: 'unschedule' }

/**
 * Applies an order event to the record: an older version changes nothing; a newer one is written and
 * (un)schedules the reminder. The same version again writes nothing but repeats its reminder call, because
 * the first delivery may have stopped between the write and the call; once expired, it stays quiet.
 */
export function applyOrderFact(current: ExpirationRecord | null, fact: OrderFact): Decision {
  if (current && fact.version < current.version) return { effect: none }
  if (current && fact.version === current.version) return { effect: current.status === fact.status ? effectOf(fact) : none }
  return { record: { version: fact.version, status: fact.status }, effect: effectOf(fact) }
}

/**
 * Whether a firing reminder announces the expiry: only while the order still waits for payment.
 * With no record at all (state lost) it does too, since the orders service cancels only a `created` order.
 */
export const shouldExpire = (current: ExpirationRecord | null): boolean => current === null || current.status === 'created'

/** The record once expiration.completed is out, so a repeated firing stays quiet; nothing to write otherwise. */
export const markExpired = (current: ExpirationRecord | null): Decision =>
  current?.status === 'created' ? { record: { ...current, status: 'expired' }, effect: none } : { effect: none }
