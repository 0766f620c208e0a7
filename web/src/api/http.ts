import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch'

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
  // JSON of any shape, or none at all (a gateway's HTML 502): only an object's fields are read.
  const body: unknown = await res.json().catch(() => ({}))
  const problem: Problem = typeof body === 'object' && body !== null ? body : {}
  const detail = problem.detail ?? problem.title ?? `The server answered ${res.status}`
  return new ApiError(res.status, problem.code ?? `http-${res.status}`, detail, problem.errors ?? [])
}

// Every call either answers 2xx or throws an ApiError: a 4xx/5xx from its problem document, a failed fetch as a network error.
const problems: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await toApiError(response)
  },
  onError: () => new ApiError(0, 'network-error', 'The server could not be reached. Check your connection and try again.'),
}

/**
 * A client for one service's `paths`, generated from its OpenAPI document: same-origin `/api` routes, JSON in and out.
 * @example const tickets = createApiClient<paths>(); await bodyOf(tickets.GET('/api/tickets/{id}', { params: { path: { id } } }))
 */
export function createApiClient<Paths extends object>(options: Pick<ClientOptions, 'baseUrl' | 'fetch'> = {}): Client<Paths> {
  const client = createClient<Paths>({ ...options, headers: { Accept: 'application/json' } })
  client.use(problems)
  return client
}

/** The body of a call's 2xx answer; a call without one (which no route documents) is an ApiError too. */
export async function bodyOf<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data, response } = await call
  if (data === undefined) throw new ApiError(response.status, `http-${response.status}`, `The server answered ${response.status} without a body`)
  return data
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
 * @example await retryWhile(['ticket-not-found'], () => bodyOf(orders.POST('/api/orders', { body: { ticketId } })))
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
