import type { MiddlewareHandler } from 'hono'
import { limitBodies, problem } from '@ticketing/shared/platform'

const allowedMethods = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/** TRACE echoes a request, cookies and all, back to whoever sent it; nothing behind the gateway serves it. */
export const refuseTrace: MiddlewareHandler = async function refuseTrace(c, next) {
  if (c.req.method !== 'TRACE') return next()
  c.header('Allow', allowedMethods)
  return problem(c, 405, 'method-not-allowed', 'TRACE is not served here')
}

/** fetch cannot pass an Expect header on, and nothing behind the gateway needs one: the caller may send without it. */
export const refuseExpect: MiddlewareHandler = async function refuseExpect(c, next) {
  if (c.req.header('expect') === undefined) return next()
  return problem(c, 417, 'expectation-failed', 'Expect is not supported here; send the request without it')
}

/**
 * Refuses bodies over `maxBytes` with 413: at once when Content-Length says so, else as soon as a chunked body grows past it.
 * @example app.use(limitBody(1024 * 1024))
 */
export const limitBody = (maxBytes: number): MiddlewareHandler =>
  limitBodies({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is still on its way; a client that reused this connection would send into it.
      c.header('Connection', 'close')
      return problem(c, 413, 'payload-too-large', `A request body may be at most ${maxBytes} bytes`)
    },
  })
