import type { Context, MiddlewareHandler } from 'hono'
import { problem } from '@ticketing/shared/platform'

/**
 * A rate limit per client: `perMinute` requests a minute, in bursts of up to `perMinute`. It is the generic cell
 * rate algorithm, so each client costs one number: the time its allowance is next due. At most `maxClients` are
 * kept; past that the least recently seen client is forgotten.
 * @example const limiter = createRateLimiter({ perMinute: 60 }); if (limiter.take('203.0.113.7') > 0) refuse()
 */
export function createRateLimiter(options: { perMinute: number; maxClients?: number; now?: () => number }) {
  const { perMinute, maxClients = 10_000, now = Date.now } = options
  const interval = 60_000 / perMinute
  // How far ahead of now a client's due time may run: the burst.
  const tolerance = (perMinute - 1) * interval
  // A Map iterates in insertion order; each client is re-inserted when seen, so the first is the stalest.
  const due = new Map<string, number>()
  return {
    /** Spends one request of `client`'s allowance: 0 when it may go ahead, else the whole seconds until it may. */
    take(client: string): number {
      const at = now()
      const next = Math.max(due.get(client) ?? at, at)
      due.delete(client)
      const stalest = due.keys().next()
      if (due.size >= maxClients && !stalest.done) due.delete(stalest.value)
      const early = next - tolerance - at
      due.set(client, early > 0 ? next : next + interval)
      return early > 0 ? Math.ceil(early / 1000) : 0
    },
    /** How many clients are remembered. */
    size: () => due.size,
  }
}

/**
 * Answers 429 with Retry-After once a client (as `clientOf` names it) has spent its allowance; `perMinute` 0 is no limit.
 * @example app.on(['POST'], '/api/*', rateLimit({ perMinute: 600, clientOf: (c) => c.env.incoming.socket.remoteAddress }))
 */
export function rateLimit(options: { perMinute: number; clientOf: (c: Context) => string; maxClients?: number }): MiddlewareHandler {
  const limiter = options.perMinute > 0 ? createRateLimiter(options) : undefined
  return async function rateLimit(c, next) {
    const wait = limiter?.take(options.clientOf(c)) ?? 0
    if (wait === 0) return next()
    c.header('Retry-After', String(wait))
    return problem(c, 429, 'too-many-requests', `Too many requests from this address; try again in ${wait} s`)
  }
}
