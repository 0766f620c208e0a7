/** One field the API refused, as listed in a problem document's `errors`. */
export type FieldError = { field: string; message: string }

/** An RFC 9457 problem answer from one of the services. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail)
    this.name = 'ApiError'
  }

  /** Field messages keyed by field name, for showing next to inputs. */
  fieldMessages(): Record<string, string> {
    return Object.fromEntries(this.errors.map((e) => [e.field, e.message]))
  }
}

type Problem = { detail?: string; title?: string; code?: string; errors?: FieldError[] }

async function toApiError(res: Response): Promise<ApiError> {
  const problem: Problem = await res.json().catch(() => ({}))
  const detail = problem.detail ?? problem.title ?? `The server answered ${res.status}`
  return new ApiError(res.status, problem.code ?? `http-${res.status}`, detail, problem.errors ?? [])
}

/** A response whose status the caller branches on, with its parsed JSON body. */
export type ApiResponse<T> = { status: number; body: T }

/** Calls a same-origin `/api` route with JSON in and out; a 4xx/5xx becomes an ApiError. */
export async function request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResponse<T>> {
  let res: Response
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        Accept: 'application/json',
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
  } catch {
    throw new ApiError(0, 'network-error', 'The server could not be reached. Check your connection and try again.')
  }
  if (!res.ok) throw await toApiError(res)
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

/** Same as `request`, for callers that only need the body. */
export async function requestBody<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return (await request<T>(path, init)).body
}

/** What to tell the person about a failure: the API's own detail when there is one. */
export const messageOf = (err: unknown): string =>
  err instanceof ApiError ? err.detail : 'Something went wrong. Please try again.'

/** Resolves after `ms` milliseconds. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const retryAttempts = 5
const retryDelayMs = 400

/**
 * Calls `fn` again, a few times after a short pause, while the API answers with one of `codes`: the "not there
 * yet" answers of a service that learns of a new ticket or order through an event a moment later.
 * @example await retryWhile(['ticket-not-found'], () => requestBody<Order>('/api/orders', { method: 'POST', body }))
 */
export async function retryWhile<T>(codes: readonly string[], fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      const notYet = err instanceof ApiError && codes.includes(err.code)
      if (!notYet || attempt >= retryAttempts) throw err
      await pause(retryDelayMs)
    }
  }
}
