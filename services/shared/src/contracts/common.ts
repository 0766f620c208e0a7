import { z } from 'zod'

/** Identifier of an aggregate: a non-empty opaque string (UUIDs in practice). */
export const id = z.string().min(1).max(128)

/** The highest price a ticket may have, in cents: Stripe charges at most eight digits (999,999.99). */
export const MAX_PRICE = 99_999_999

/** The lowest: Stripe refuses to charge less than 50 cents (USD, EUR and most currencies). */
export const MIN_PRICE = 50

/** Money in the smallest currency unit (cents): never a float. */
export const cents = z.number().int().positive().max(MAX_PRICE)

/** Aggregate version: starts at 1, grows by one on every change. */
export const version = z.number().int().positive()
