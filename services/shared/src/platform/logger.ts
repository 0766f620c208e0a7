import { pino } from 'pino'
import type { MiddlewareHandler } from 'hono'
import { childTraceparent, traceIdOf, withTraceparent } from './trace'

export type Logger = pino.Logger

/** The least a component needs to log: what the local stand-ins accept (a pino logger is one). */
export interface LogSink {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/**
 * A JSON logger that never writes credentials.
 * @example const log = createLogger({ name: 'tickets', level: 'info' })
 */
export function createLogger(options: { name: string; level?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      // Secrets and card data never reach a log line, at the top level or one level down.
      redact: ['password', 'paymentMethod', 'cookie', 'sessionToken', '*.password', '*.paymentMethod', '*.cookie', '*.sessionToken', '*.authorization', '*["x-session-token"]'],
    },
    options.destination,
  )
}

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string
    log: Logger
  }
}

/**
 * Logs one line per request with its id and trace id, and hands handlers a child logger carrying both.
 * The request runs in its trace (the caller's, or a new one), so the events it causes continue it.
 */
export function requestLogger(logger: Logger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const requestId = c.req.header('x-request-id') ?? crypto.randomUUID()
    const traceparent = childTraceparent(c.req.header('traceparent'))
    const log = logger.child({ requestId, traceId: traceIdOf(traceparent) })
    c.set('requestId', requestId)
    c.set('log', log)
    // Set before the handler answers, so it is part of the answer as built: c.header on a finished response
    // would rebuild it as a stream. A handler that returns a Response of its own gets it on that one's headers.
    c.header('x-request-id', requestId)
    const started = performance.now()
    await withTraceparent(traceparent, next)
    if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', requestId)
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request')
  }
}
