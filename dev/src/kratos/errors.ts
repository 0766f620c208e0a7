/** The JSON error body Kratos writes (Ory's herodot format), plus extra top-level fields. */
export interface KratosErrorBody {
  error: {
    id?: string
    code: number
    status: string
    reason?: string
    details?: Record<string, unknown>
    message: string
  }
  [extra: string]: unknown
}

const statusTexts: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  504: 'Gateway Timeout',
}

/** An error answered as Kratos answers it; `httpStatus` may differ from `error.code` (Kratos does that for API flows). */
export class KratosError extends Error {
  constructor(
    readonly body: KratosErrorBody,
    readonly httpStatus: number = body.error.code,
  ) {
    super(body.error.message)
  }

  withHttpStatus(status: number): KratosError {
    return new KratosError(this.body, status)
  }
}

interface ErrorParts {
  id?: string
  reason?: string
  details?: Record<string, unknown>
  message: string
  extra?: Record<string, unknown>
}

/** Builds a herodot-shaped error, leaving out empty fields as herodot does. */
export function kratosError(code: number, parts: ErrorParts): KratosError {
  const error: KratosErrorBody['error'] = { code, status: statusTexts[code] ?? String(code), message: parts.message }
  if (parts.id) error.id = parts.id
  if (parts.reason) error.reason = parts.reason
  if (parts.details && Object.keys(parts.details).length > 0) error.details = parts.details
  const ordered = { ...(error.id ? { id: error.id } : {}), ...error }
  return new KratosError({ error: ordered, ...parts.extra })
}

const csrfReason =
  'Please retry the flow and optionally clear your cookies. The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF) which could cause account takeover, leaking personal information, and other serious security issues.'

export const errors = {
  notFound: () => kratosError(404, { message: 'Unable to locate the resource' }),
  csrf: (details: Record<string, unknown>) =>
    kratosError(403, {
      id: 'security_csrf_violation',
      reason: csrfReason,
      details: { docs: 'https://www.ory.sh/kratos/docs/debug/csrf', ...details },
      message: 'the request was rejected to protect you from Cross-Site-Request-Forgery',
    }),
  noSessionCredentials: () =>
    kratosError(401, {
      reason: 'No valid session credentials found in the request.',
      message: 'The request could not be authorized',
    }),
  sessionInactive: () =>
    kratosError(401, {
      id: 'session_inactive',
      reason: 'No active session was found in this request.',
      message: 'request does not have a valid authentication session',
    }),
  alreadyLoggedIn: (reason: string) =>
    kratosError(400, { id: 'session_already_available', reason, message: 'you are already logged in' }),
  badRequest: (reason: string) => kratosError(400, { reason, message: 'The request was malformed or contained invalid parameters' }),
  forbidden: (reason: string) =>
    kratosError(403, { reason, message: 'The requested action was forbidden' }),
  flowExpired: (expiredAt: Date, now: Date, useFlowId: string) => {
    const agoMs = now.getTime() - expiredAt.getTime()
    return kratosError(410, {
      id: 'self_service_flow_expired',
      reason: `The self-service flow expired ${(agoMs / 60_000).toFixed(2)} minutes ago, initialize a new one.`,
      message: 'self-service flow expired',
      // `since` is a Go duration, serialised in nanoseconds.
      extra: { expired_at: expiredAt.toISOString(), since: agoMs * 1_000_000, use_flow_id: useFlowId },
    })
  },
  flowExpiredOnFetch: (reason: string, details: Record<string, unknown>) =>
    kratosError(410, {
      id: 'self_service_flow_expired',
      reason,
      details,
      message: 'The requested resource is no longer available because it has expired or is otherwise invalid.',
    }),
  internal: (message: string) => kratosError(500, { message }),
}
