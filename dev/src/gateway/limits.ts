import { z } from 'zod'
import { parseEnv } from '@ticketing/shared/platform'

/** What one request may carry and what one client (by address) may do; a per-minute limit of 0 is no limit. */
export type GatewayLimits = {
  /** Larger request bodies are refused with 413 before they are read; the chart's ingress uses the same. */
  maxBodyBytes: number
  /** Submits (POST, PUT, PATCH, DELETE) to /.ory/self-service/*: sign-in, sign-up, logout. */
  selfServiceSubmitsPerMinute: number
  /** POST, PUT, PATCH and DELETE to /api/*. */
  apiWritesPerMinute: number
}

/**
 * A ticket is a few KiB and a Kratos form less; the per-minute limits leave room for the system and durability
 * tiers, which sign up 50 people at once and write a few hundred times a minute from one address.
 */
export const defaultLimits: GatewayLimits = { maxBodyBytes: 1024 * 1024, selfServiceSubmitsPerMinute: 100, apiWritesPerMinute: 600 }

// An empty variable (`NAME=` in .env) means unset, not 0, which would turn the limit off.
const perMinute = (fallback: number) => z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).default(fallback))

/**
 * The gateway's limits from the environment (see .env.example), the defaults where unset.
 * @example createGateway({ ...routes, limits: gatewayLimits(process.env) })
 */
export function gatewayLimits(env: Record<string, string | undefined>): GatewayLimits {
  const parsed = parseEnv(
    z.object({
      GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE: perMinute(defaultLimits.selfServiceSubmitsPerMinute),
      GATEWAY_API_WRITES_PER_MINUTE: perMinute(defaultLimits.apiWritesPerMinute),
    }),
    env,
  )
  return {
    ...defaultLimits,
    selfServiceSubmitsPerMinute: parsed.GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE,
    apiWritesPerMinute: parsed.GATEWAY_API_WRITES_PER_MINUTE,
  }
}
