import { AppError } from './errors'

/** The HTTP status a failed Ory client call (axios) got, or undefined when no answer came back. */
export function upstreamStatusOf(err: unknown): number | undefined {
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status
  return typeof status === 'number' ? status : undefined
}

/**
 * Whether asking again may help: no answer came back, or a 5xx (such as Keto's answer to a serialization conflict).
 * @example if (attempt < 3 && isTransientUpstreamFailure(err)) continue
 */
export function isTransientUpstreamFailure(err: unknown): boolean {
  const status = upstreamStatusOf(err)
  return status === undefined || status >= 500
}

/**
 * What a failed call to a platform server (Kratos, Keto) means for our caller. No answer or a 5xx: the
 * server is away, 503 `<what>-unavailable`, with the failure kept as its cause. A 4xx: we asked wrongly,
 * which is our bug, so a plain error (a 500, logged with its cause), never a 503 that invites retrying
 * and never an answer that reads as "allowed".
 * @example catch (err) { throw upstreamFailure('permissions', 'The permission service did not answer; try again', err) }
 */
export function upstreamFailure(what: string, message: string, err: unknown): Error {
  const cause = summarize(err)
  if (isTransientUpstreamFailure(err)) return new AppError(`${what}-unavailable`, 503, message, undefined, { cause })
  return new Error(`the ${what} service refused our request with ${upstreamStatusOf(err)}`, { cause })
}

/**
 * The failed call in one line (`GET http://keto/… answered 500`, or the network error). Not the client's
 * error itself: an axios error carries the request's headers, and with them the caller's cookie or token.
 */
function summarize(err: unknown): Error {
  const e = (err ?? {}) as { message?: unknown; code?: unknown; config?: { method?: unknown; url?: unknown } }
  const method = typeof e.config?.method === 'string' ? e.config.method.toUpperCase() : ''
  const call = typeof e.config?.url === 'string' ? `${method} ${e.config.url}`.trim() : 'the call'
  const status = upstreamStatusOf(err)
  const outcome = status !== undefined ? `answered ${status}` : `failed: ${[e.code, e.message].filter((p) => typeof p === 'string').join(' ')}`
  return new Error(`${call} ${outcome}`)
}

/**
 * Axios options for the Ory clients: an answer is the server's own, never one it redirects to (axios would follow
 * up to 21 hops by default, through follow-redirects, which also costs every call a wrapper request).
 */
export const neverRedirected = { maxRedirects: 0 }
