import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { errors, type KratosError } from './errors'

type Offer = 'text/html' | 'application/json'

/** Go's httputil.NegotiateContentType over [text/html, application/json], defaulting to text/html. */
function negotiate(accept: string | undefined): Offer {
  if (!accept) return 'text/html'
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return { type: type.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 }
  })
  let best: { offer: Offer; q: number; specificity: number } | undefined
  for (const offer of ['text/html', 'application/json'] as const) {
    for (const range of ranges) {
      const specificity = range.type === offer ? 2 : range.type === `${offer.split('/')[0]}/*` ? 1 : range.type === '*/*' ? 0 : -1
      if (specificity < 0 || range.q <= 0) continue
      if (!best || range.q > best.q || (range.q === best.q && specificity > best.specificity)) best = { offer, q: range.q, specificity }
    }
  }
  return best?.offer ?? 'text/html'
}

/** Kratos's x.IsJSONRequest: the client prefers JSON or sends a JSON body. */
export const isJsonRequest = (c: Context): boolean =>
  negotiate(c.req.header('accept')) === 'application/json' || c.req.header('content-type') === 'application/json'

/** Kratos's x.AcceptsJSON: content negotiation only. */
export const acceptsJson = (c: Context): boolean => negotiate(c.req.header('accept')) === 'application/json'

/** Writes a Kratos error with its JSON body. */
export const sendError = (c: Context, error: KratosError) =>
  c.json(error.body, error.httpStatus as 400, { 'Ory-Error-Id': error.body.error.id ?? '' })

type FormTree = { [key: string]: string | FormTree }

// Kratos decodes only the form fields its schemas name, so these never mean anything to it; here they
// would walk into a prototype (one request poisoned Object.prototype for the whole one-process stack).
const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype'])

/** herodot's 400 for a form body Kratos cannot decode (decoderx's wording). */
const undecodableForm = (c: Context, problem: string) =>
  errors.badRequest(`Unable to decode HTTP ${c.req.method} form body: ${problem}`)

/** Nests `a.b=1` into `{a: {b: "1"}}`, on null-prototype objects; names that cannot nest are a 400. */
function nest(c: Context, fields: Array<readonly [string, string]>): FormTree {
  const root = Object.create(null) as FormTree
  for (const [key, value] of fields) {
    const path = key.split('.')
    if (path.some((part) => prototypeKeys.has(part))) throw undecodableForm(c, `the field name "${key}" is not allowed.`)
    const last = path.pop() as string
    let parent = root
    for (const part of path) {
      const child = (parent[part] ??= Object.create(null) as FormTree)
      if (typeof child === 'string') throw undecodableForm(c, `the field "${key}" is nested in the value of "${part}".`)
      parent = child
    }
    if (typeof parent[last] === 'object') throw undecodableForm(c, `the field "${key}" has fields nested in it.`)
    parent[last] = value
  }
  return root
}

/**
 * Reads a JSON or form body; form keys with dots become nested objects (Kratos's form format).
 * A form body that cannot be decoded throws a 400 KratosError, which the app answers as it is.
 */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? ''
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody().catch(() => {
      throw undecodableForm(c, 'the body is not a well-formed form.')
    })
    // Like Kratos, which decodes only the form's fields, uploaded files are not part of the body.
    const fields = Object.entries(form).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : []))
    return nest(c, fields)
  }
  try {
    const body: unknown = await c.req.json()
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** Where the session credential of a request is, in Kratos's order: X-Session-Token, cookie, bearer. */
export function sessionCredentials(c: Context, cookieName: string): { token?: string; cookieValue?: string } {
  const header = c.req.header('x-session-token')
  if (header) return { token: header }
  const cookieValue = getCookie(c, cookieName)
  if (cookieValue) return { cookieValue }
  const bearer = c.req.header('authorization')?.match(/^bearer\s+(.+)$/i)?.[1]
  return bearer ? { token: bearer } : {}
}
