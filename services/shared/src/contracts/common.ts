import { z } from 'zod'

/** Identifier of an aggregate: a non-empty opaque string (UUIDs in practice). */
export const id = z.string().min(1).max(128)

/** Money in the smallest currency unit (cents): never a float. */
export const cents = z.number().int().positive().max(1_000_000_00)

/** Aggregate version: starts at 1, grows by one on every change. */
export const version = z.number().int().positive()
