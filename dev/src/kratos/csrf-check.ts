import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { errors, type KratosError } from './errors'
import type { KratosDeps } from './kratos-deps'

const noCookie = 'The HTTP Cookie Header is empty or not set.'
const cookieMissing = 'The HTTP Cookie Header was set but did not include the anti-CSRF cookie.'
const tokenNotSent =
  'The anti-CSRF cookie was found but the CSRF token was not included in the HTTP request body (csrf_token) nor in the HTTP Header (X-CSRF-Token).'
const tokenMismatch =
  'The HTTP Cookie Header was set and a CSRF token was sent but they do not match. We recommend deleting all cookies for this domain and retrying the flow.'
const ajaxHint =
  "We detected an AJAX call, please ensure that CORS is enabled and configured correctly, and that your AJAX code sends cookies and has credentials enabled. For further debugging, check your Browser's Network Tab to see what cookies are included or excluded."
const serverHint =
  "We detected a regular browser or server-side call. To debug browser calls check your Browser's Network Tab to see what cookies are included or excluded. If you are calling from a server ensure that the appropriate cookies are being forwarded and that the SDK method is called correctly."

/** Kratos's CSRFErrorReason: the same 403 error with a hint saying what was wrong. */
export function csrfError(c: Context, deps: KratosDeps, tokenSent: boolean): KratosError {
  const mode = c.req.header('sec-fetch-mode')
  const hint = mode === 'cors' || mode === 'same-origin' ? ajaxHint : serverHint
  if (!c.req.header('cookie')) return errors.csrf({ hint, reject_reason: noCookie })
  if (!getCookie(c, deps.csrf.cookieName)) return errors.csrf({ hint, reject_reason: cookieMissing })
  if (!(c.req.header('content-type') ?? '').startsWith('application/json') && !tokenSent) {
    return errors.csrf({ hint: tokenNotSent })
  }
  return errors.csrf({ hint, reject_reason: tokenMismatch })
}

const apiOriginReason =
  'The HTTP Request Header included the "Origin" key, indicating that this request was made as part of an AJAX request in a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.'
const apiCookieReason =
  'The HTTP Request Header included the "Cookie" key, indicating that this request was made by a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.'

/** Why an API-flow submission looks like it came from a browser (Kratos's EnsureCSRF), if it does. */
export function browserishApiRequest(c: Context): string | undefined {
  if (c.req.header('origin')) return apiOriginReason
  const names = Object.keys(getCookie(c)).filter((n) => !/^(__cf|_cf|cf_)/.test(n))
  return names.length > 0 ? apiCookieReason : undefined
}
