import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes } from 'node:crypto'

const TRACEPARENT = /^00-([\da-f]{32})-[\da-f]{16}-([\da-f]{2})$/
// Not shared state: each request or event handler sees only the trace it runs in (as OpenTelemetry's context does).
const current = new AsyncLocalStorage<string>()

/** The trace id of a W3C `traceparent` header (`00-<trace id>-<span id>-<flags>`), if well formed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.match(TRACEPARENT)?.[1]
}

/**
 * The traceparent of our own span: the caller's trace with a new span id, or a new trace when the caller
 * sent none (or a malformed one).
 * @example childTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') // '00-4bf9…4736-<new span>-01'
 */
export function childTraceparent(incoming: string | undefined): string {
  const match = incoming?.match(TRACEPARENT)
  const traceId = match?.[1] ?? randomHex(16)
  return `00-${traceId}-${randomHex(8)}-${match?.[2] ?? '01'}`
}

// Random bytes drawn 4 KiB at a time: one call to the CSPRNG for hundreds of ids, as crypto.randomUUID does.
let pool = Buffer.alloc(0)
let taken = 0
function randomHex(bytes: number): string {
  if (taken + bytes > pool.length) {
    pool = randomBytes(4096)
    taken = 0
  }
  taken += bytes
  return pool.toString('hex', taken - bytes, taken)
}

/**
 * Runs `fn` inside a trace: what it writes to the outbox and publishes carries `traceparent`.
 * @example await withTraceparent(childTraceparent(c.req.header('traceparent')), () => next())
 */
export const withTraceparent = <T>(traceparent: string, fn: () => T): T => current.run(traceparent, fn)

/** The traceparent of the request or event being handled, if any. */
export const currentTraceparent = (): string | undefined => current.getStore()

/** Runs `fn` outside any trace, for background work that serves no single request (the outbox relay). */
export const withoutTrace = <T>(fn: () => T): T => current.exit(fn)
