import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from './logger'

/** One field that failed validation: where it is and why. */
export type FieldError = { field: string; message: string }

/**
 * The one error type of the domain: a stable kebab-case code, an HTTP status and a message.
 * @example throw new AppError('ticket-reserved', 409, 'The ticket is reserved and cannot be edited')
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly errors?: FieldError[],
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'AppError'
  }
}

export const notFound = (what: string) => new AppError(`${what.toLowerCase()}-not-found`, 404, `${what} not found`)
export const forbidden = (detail = 'You are not allowed to do this') => new AppError('forbidden', 403, detail)
export const unauthorized = () => new AppError('unauthorized', 401, 'Sign in first')

/** Renders an error as an RFC 9457 problem document. */
export function problem(c: Context, status: ContentfulStatusCode, code: string, detail: string, errors?: FieldError[]) {
  const body = { type: 'about:blank', title: statusTitle(status), status, detail, code, ...(errors ? { errors } : {}) }
  return c.body(JSON.stringify(body), status, { 'Content-Type': 'application/problem+json' })
}

/**
 * The app-wide `onError`: AppError and HTTPException become problems; anything else a bare 500. Every
 * answer of 500 or more is logged here, once, with its cause and the request id.
 */
export function problemErrorHandler(logger: Logger): ErrorHandler {
  return function onError(err, c) {
    const log = c.get('log') ?? logger
    if (err instanceof AppError) {
      if (err.status >= 500) log.error({ err, code: err.code, requestId: c.get('requestId') }, err.message)
      return problem(c, err.status, err.code, err.message, err.errors)
    }
    if (err instanceof HTTPException) {
      const code = err.status === 400 ? 'bad-request' : `http-${err.status}`
      return problem(c, err.status, code, err.message || statusTitle(err.status))
    }
    log.error({ err, requestId: c.get('requestId') }, 'unhandled error')
    return problem(c, 500, 'internal', 'Something went wrong on our side')
  }
}

/** The app-wide `notFound`. */
export const problemNotFound: NotFoundHandler = (c) => problem(c, 404, 'route-not-found', `No route for ${c.req.method} ${c.req.path}`)

function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 413: 'Content Too Large', 415: 'Unsupported Media Type',
    417: 'Expectation Failed', 422: 'Unprocessable Content', 429: 'Too Many Requests',
    500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  }
  return titles[status] ?? 'Error'
}
