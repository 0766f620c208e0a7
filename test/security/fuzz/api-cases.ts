import { flatten, formBody, jsonBody, malformedMultiparts, multipartBody, type Body } from './encodings'
import type { FuzzRequest } from './http'
import type { Route, Schema } from './openapi'
import type { Rng } from './prng'
import { oddHeaders } from './headers'
import {
  deepJson, invalidJsonTexts, oddContentTypes, oddJsonValues, oddNumberTexts, oddQueryKeys, oddQueryValues, oddSegments, oddStrings,
} from './values'

/** Who a request is sent as: the headers that carry (or do not carry) a session. */
export type Caller = { name: string; headers: Record<string, string> }

export type ApiContext = {
  /** Real ids by service (`tickets`, `orders`, `payments`, `users`), so that mutations reach past the lookup. */
  ids: Record<string, string[]>
  callers: Caller[]
  /** Session tokens and the session cookie of real people, for headers that garble them. */
  tokens: string[]
  cookie: string
  origin: string
}

const idsFor = (ctx: ApiContext, service: string) => ctx.ids[service] ?? Object.values(ctx.ids).flat()

// A body field named after a service's resource (`ticketId`, `orderId`) gets that service's real ids.
const idField = (name: string) => ({ ticketId: 'tickets', orderId: 'orders', paymentId: 'payments', userId: 'users' })[name]

function validValue(rng: Rng, name: string, schema: Schema, ctx: ApiContext): unknown {
  const service = idField(name)
  if (service && schema.type === 'string') return rng.pick(idsFor(ctx, service))
  if (schema.enum?.length) return rng.pick(schema.enum)
  if (schema.example !== undefined && rng.chance(0.7)) return schema.example
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.min(schema.maximum ?? 10_000, Math.max(schema.minimum ?? 0, 100 + rng.int(10_000)))
    case 'boolean':
      return rng.chance(0.5)
    case 'array':
      return schema.items ? [validValue(rng, name, schema.items, ctx)] : []
    case 'object':
      return validObject(rng, schema, ctx)
    default:
      return `fuzz ${name} ${rng.int(1e6)}`.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength ?? 200)
  }
}

/** A body the schema accepts (most of the time: a random example may still be refused). */
function validObject(rng: Rng, schema: Schema, ctx: ApiContext): Record<string, unknown> {
  const entries = Object.entries(schema.properties).filter(([name]) => schema.required.includes(name) || rng.chance(0.6))
  return Object.fromEntries(entries.map(([name, property]) => [name, validValue(rng, name, property, ctx)]))
}

/** `{…}` with one more raw `"key":value` inside, for keys and values JSON.stringify would not write. */
const withRawField = (json: string, key: string, valueText: string) =>
  json === '{}' ? `{${JSON.stringify(key)}:${valueText}}` : `{${JSON.stringify(key)}:${valueText},${json.slice(1)}`

const someField = (rng: Rng, body: Record<string, unknown>, schema: Schema) =>
  rng.pick([...Object.keys(body), ...Object.keys(schema.properties), 'title'])

const extraFields: ReadonlyArray<readonly [string, string]> = [
  ['__proto__', '{"polluted":"yes","orderId":"PWNED"}'], ['constructor', '{"prototype":{"polluted":"yes"}}'], ['userId', '"someone-else"'],
  ['orderId', '"PWNED"'], ['version', '999'], ['id', '"chosen-id"'], ['isAdmin', 'true'], ['$where', '"1==1"'], ['', '1'],
  ['a\u0000b', '1'], ['\u202etitle', '"x"'],
]

/** A malformed body for `schema`: one of many ways to get a body wrong. */
function oddBody(rng: Rng, schema: Schema | undefined, ctx: ApiContext): Body {
  const target = schema ?? { properties: {}, required: [] }
  const body = validObject(rng, target, ctx)
  const field = someField(rng, body, target)
  const json = (value: unknown) => jsonBody(JSON.stringify(value))
  const kinds: Array<() => Body> = [
    () => json({ ...body, [field]: rng.pick(oddJsonValues) }),
    () => json({ ...body, [field]: rng.pick(oddStrings) }),
    () => json(Object.fromEntries(Object.entries(body).filter(([name]) => name !== rng.pick(target.required.length ? target.required : [field])))),
    () => json({}),
    () => jsonBody(withRawField(JSON.stringify(body), ...rng.pick(extraFields))),
    () => jsonBody(withRawField(JSON.stringify(body), field, rng.pick(oddNumberTexts))),
    () => jsonBody(deepJson(rng.pick([500, 5_000, 20_000]), rng.pick(['array', 'object']))),
    () => jsonBody(withRawField(JSON.stringify(body), field, deepJson(rng.pick([100, 5_000]), rng.pick(['array', 'object'])))),
    () => json({ ...body, [field]: 'x'.repeat(rng.pick([121, 2_001, 10_000, 70_000, 1_100_000])) }),
    () => jsonBody(rng.pick(invalidJsonTexts)),
    () => json(rng.pick([null, [], [body], 'a string', 42, true])),
    () => jsonBody(JSON.stringify(body), rng.pick(oddContentTypes)),
    () => ({ body: JSON.stringify(body), headers: {} }),
    () => jsonBody(''),
    () => ({ body: '', headers: {} }),
    () => formBody([...flatten(body), ...(rng.chance(0.5) ? [['__proto__[polluted]', 'yes'] as const, ['__proto__.orderId', 'PWNED'] as const] : [])]),
    () => multipartBody([...flatten(body), ...(rng.chance(0.5) ? [['__proto__', 'x'] as const] : [])]),
    () => rng.pick(malformedMultiparts),
    () => ({ body: Buffer.from(Array.from({ length: 64 + rng.int(512) }, () => rng.int(256))), headers: { 'content-type': 'application/json' } }),
    // A raw control character inside a JSON string, which JSON forbids unescaped.
    () => jsonBody(JSON.stringify({ ...body, [field]: 'x' }).replace(/":"x"/, '":"a\u0000\u202eb"')),
    () => jsonBody(`\ufeff${JSON.stringify(body)}`),
  ]
  return rng.pick(kinds)()
}

function fillPath(rng: Rng, route: Route, ctx: ApiContext, odd: boolean): string {
  const params = [...route.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)
  const spoiled = odd && params.length > 0 && rng.chance(0.75) ? rng.pick(params) : undefined
  const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === spoiled ? rng.pick(oddSegments) : encodeURIComponent(rng.pick(idsFor(ctx, route.service))),
  )
  if (!odd || spoiled) return path
  const structural: Array<(p: string) => string> = [
    (p) => `${p}/`, (p) => `${p}/extra`, (p) => `${p}/..`, (p) => `${p}/%2e%2e/%2e%2e`, (p) => p.replace('/api/', '/api//'),
    (p) => `${p};jsessionid=1`, (p) => `${p}%2F`, (p) => `${p}%00`, (p) => p.replace('/api/', '/API/'), (p) => `${p}/__proto__`,
    (p) => `${p}/${'x/'.repeat(200)}`, (p) => `${p}.json`, (p) => `${p}#fragment`,
  ]
  return rng.pick(structural)(path)
}

function queryFor(rng: Rng, route: Route, odd: boolean): string {
  const declared = route.params.filter((p) => p.in === 'query')
  const plain = declared.filter(() => rng.chance(0.3)).map((p) => `${p.name}=${p.schema.type === 'integer' ? 1 + rng.int(50) : 'fuzz'}`)
  if (!odd) return plain.length ? `?${plain.join('&')}` : ''
  const name = declared.length ? rng.pick(declared).name : rng.pick(['q', 'limit', 'cursor', 'id'])
  const value = rng.pick(oddQueryValues)
  const odds = [
    `${name}=${value}`, `${name}=${value}&${name}=${rng.pick(oddQueryValues)}`, `${name}[]=${value}`, `${name}[0]=1&${name}[1]=2`,
    `${name}[a]=${value}`, `${name}`, `${name}.__proto__=1`, rng.pick(oddQueryKeys),
  ]
  return `?${[...plain, rng.pick(odds), ...(rng.chance(0.2) ? [rng.pick(oddQueryKeys)] : [])].join('&')}`
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE', 'SEARCH', 'LOCK', 'MKCOL', 'REPORT']
type Mutation = 'path' | 'query' | 'body' | 'headers' | 'method'
// Weighted so that most requests get past routing: a wrong method or path mostly meets a 404.
const withBody: readonly Mutation[] = ['body', 'body', 'body', 'body', 'headers', 'headers', 'path', 'path', 'query', 'method']
const withoutBody: readonly Mutation[] = ['path', 'path', 'path', 'query', 'query', 'query', 'headers', 'headers', 'body', 'method']

/**
 * One malformed request to `route`: one or two of its path, query, body, headers and method are wrong,
 * the rest as the document declares, so each mutation reaches the code behind the others.
 */
export function apiCase(rng: Rng, route: Route, ctx: ApiContext): FuzzRequest {
  const mutations = route.body ? withBody : withoutBody
  const wrong = new Set([rng.pick(mutations), ...(rng.chance(0.35) ? [rng.pick(mutations)] : [])])
  const wantsBody = route.body !== undefined || (wrong.has('body') && rng.chance(0.5))
  const body: Body | undefined = !wantsBody
    ? undefined
    : wrong.has('body') ? oddBody(rng, route.body, ctx)
    : jsonBody(JSON.stringify(validObject(rng, route.body ?? { properties: {}, required: [] }, ctx)))
  const caller = rng.pick(ctx.callers)
  const method = wrong.has('method') ? rng.pick(methods.filter((m) => m !== route.method)) : route.method
  return {
    method,
    path: fillPath(rng, route, ctx, wrong.has('path')) + queryFor(rng, route, wrong.has('query')),
    headers: { ...caller.headers, ...body?.headers, ...(wrong.has('headers') ? oddHeaders(rng, ctx) : {}) },
    ...(body?.body !== undefined ? { body: body.body } : {}),
    chunked: body?.body !== undefined && rng.chance(0.05),
  }
}
