import { flatten, formBody, jsonBody, malformedMultiparts, multipartBody, type Body } from './encodings'
import { oddHeaders } from './headers'
import type { FuzzRequest } from './http'
import type { Rng } from './prng'
import { deepJson, invalidJsonTexts, oddContentTypes, oddJsonValues, oddQueryKeys, oddSegments, oddStrings } from './values'

export type FlowKind = 'login' | 'registration'

/** A flow fetched from the stand-in before fuzzing: its id, its csrf_token and the csrf cookie it came with. */
export type KratosFlow = { kind: FlowKind; type: 'browser' | 'api'; id: string; csrfToken: string; cookie: string }

export type KratosContext = {
  flows: KratosFlow[]
  /** A signed-in person: the fuzzer garbles these credentials but never sends their logout token. */
  email: string
  password: string
  tokens: string[]
  cookie: string
  origin: string
}

const enc = encodeURIComponent
const oddReturnTo = (origin: string) => [
  'http://evil.example/', 'javascript:alert(1)', '//evil.example', `${origin}/ok`, 'http://127.0.0.1:1/v1.0/metadata', '%00', 'x'.repeat(3000),
  enc('/\\evil.example'), 'http://[::1', '', enc(`${origin}@evil.example`), enc('http://evil.example#' + origin), 'data:text/html,x', enc('\u202e'),
]

/** Fields that would pass for a submit of `flow`, before the fuzzer spoils them. */
function fieldsFor(rng: Rng, flow: KratosFlow, ctx: KratosContext): Record<string, unknown> {
  const common = { method: 'password', csrf_token: flow.csrfToken }
  if (flow.kind === 'login') {
    return { ...common, identifier: rng.chance(0.5) ? ctx.email : `nobody-${rng.int(1e6)}@example.com`, password: rng.chance(0.5) ? ctx.password : 'wrong password' }
  }
  return { ...common, traits: { email: `fuzz-${rng.int(1e9)}@example.com` }, password: rng.chance(0.7) ? ctx.password : 'short' }
}

const spoilers: Array<(rng: Rng, fields: Record<string, unknown>, ctx: KratosContext) => void> = [
  (_, f) => delete f.csrf_token,
  (rng, f, ctx) => (f.csrf_token = rng.pick(['bogus', '', 'x'.repeat(3000), ...ctx.flows.map((flow) => flow.csrfToken)])),
  (rng, f) => (f.method = rng.pick(['oidc', 'code', 'PASSWORD', '', null, ['password'], { a: 1 }, 'password\u0000', 123, 'webauthn'])),
  (_, f) => delete f.method,
  (rng, f) => (f[rng.pick([...Object.keys(f), 'password'])] = rng.pick(oddJsonValues)),
  (rng, f) => (f[rng.pick([...Object.keys(f), 'password'])] = rng.pick(oddStrings)),
  (rng, f) => (f.traits = rng.pick(['a string', [], 42, null, { email: {} }, { email: ['a@example.com', 'b@example.com'] }, { email: `${'x'.repeat(10_000)}@example.com` }, { email: 'ok@example.com', extra: 1 }, { email: 'not an email' }, { email: '\u0000@example.com' }])),
  (rng, f) => (f.identifier = rng.pick([{ $ne: null }, [], 'x'.repeat(20_000), '\u202e@example.com', null])),
  (rng, f) => (f.password = 'x'.repeat(rng.pick([73, 1_025, 100_000, 1_100_000]))),
  (rng, f) => (f.password = rng.pick([123, null, [], {}, true, '\u0000'.repeat(10)])),
  (_, f) => Object.keys(f).forEach((key) => delete f[key]),
  (rng, f) => (f.traits = JSON.parse(deepJson(rng.pick([50, 500]), 'object')) as unknown),
]

// Names JSON.stringify never writes as own keys, and dotted form names that once walked into Object.prototype.
const prototypeJson = ['"__proto__":{"polluted":"yes","orderId":"PWNED"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"traits":{"__proto__":{"polluted":"yes"}}']
const prototypeFields = [['__proto__.orderId', 'PWNED'], ['traits.__proto__.polluted', 'yes'], ['constructor.prototype.polluted', 'yes'], ['__proto__', 'x'], ['traits.constructor.prototype.polluted', 'yes']] as const

function encode(rng: Rng, fields: Record<string, unknown>, withPrototypeKeys: boolean): Body {
  const json = JSON.stringify(fields)
  const flat = [...flatten(fields), ...(withPrototypeKeys ? [rng.pick(prototypeFields)] : [])]
  const choices: Array<[number, () => Body]> = [
    [35, () => jsonBody(withPrototypeKeys ? `{${rng.pick(prototypeJson)}${json === '{}' ? '' : ','}${json.slice(1)}` : json)],
    [25, () => formBody(flat)],
    [20, () => multipartBody(flat)],
    [6, () => rng.pick(malformedMultiparts)],
    [6, () => jsonBody(rng.pick(invalidJsonTexts))],
    [5, () => jsonBody(json, rng.pick(oddContentTypes))],
    [3, () => ({ body: json, headers: {} })],
  ]
  let roll = rng.int(100)
  for (const [weight, make] of choices) {
    if (roll < weight) return make()
    roll -= weight
  }
  return jsonBody(json)
}

const accepts = ['application/json', 'text/html', '*/*', 'application/json;q=0.1, text/html;q=0.9', 'application/xml']

function submitCase(rng: Rng, ctx: KratosContext): FuzzRequest {
  const flow = rng.pick(ctx.flows)
  const fields = fieldsFor(rng, flow, ctx)
  const spoil = rng.int(3)
  for (let i = 0; i < spoil; i++) rng.pick(spoilers)(rng, fields, ctx)
  const body = encode(rng, fields, rng.chance(0.25))
  const other = rng.pick(ctx.flows).id
  const flowParam = rng.chance(0.8) ? flow.id : rng.pick(['', 'junk', other, `${flow.id}&flow=junk`, '%00', 'x'.repeat(3000), '__proto__', '%ff'])
  const query = rng.chance(0.05) ? '' : `?flow=${flowParam}${rng.chance(0.1) ? `&${rng.pick(oddQueryKeys)}` : ''}`
  const cookie = flow.type === 'browser' && rng.chance(0.8) ? flow.cookie : rng.pick(['', 'csrf_token_x=garbage', ctx.cookie, `${flow.cookie}; ${ctx.cookie}`])
  return {
    method: 'POST',
    path: `/.ory/self-service/${flow.kind}${query}`,
    headers: {
      ...body.headers,
      ...(cookie ? { cookie } : {}),
      ...(rng.chance(0.7) ? { accept: rng.pick(accepts) } : {}),
      ...(rng.chance(0.1) ? { 'x-csrf-token': rng.pick(['bogus', flow.csrfToken]) } : {}),
      ...(rng.chance(0.1) ? oddHeaders(rng, ctx) : {}),
    },
    ...(body.body !== undefined ? { body: body.body } : {}),
  }
}

function initCase(rng: Rng, ctx: KratosContext): FuzzRequest {
  const kind = rng.pick(['login', 'registration'])
  const query = [
    ...(rng.chance(0.6) ? [`return_to=${rng.pick(oddReturnTo(ctx.origin))}`] : []),
    ...(rng.chance(0.2) ? [`refresh=${rng.pick(['true', 'garbage', ''])}`, `aal=${rng.pick(['aal2', 'x', ''])}`] : []),
    ...(rng.chance(0.2) ? ['return_to=http://a.example&return_to=http://b.example', rng.pick(oddQueryKeys)] : []),
  ]
  const cookie = rng.pick(['', ctx.cookie, 'csrf_token_x=garbage', `${ctx.cookie}x`])
  return {
    method: 'GET',
    path: `/.ory/self-service/${kind}/${rng.pick(['browser', 'api'])}${query.length ? `?${query.join('&')}` : ''}`,
    headers: { ...(cookie ? { cookie } : {}), ...(rng.chance(0.6) ? { accept: rng.pick(accepts) } : {}) },
  }
}

function getFlowCase(rng: Rng, ctx: KratosContext): FuzzRequest {
  const flow = rng.pick(ctx.flows)
  const id = rng.pick([flow.id, flow.id, rng.pick(ctx.flows).id, 'junk', '', '%00', '__proto__', 'x'.repeat(3000), `${flow.id}&id=junk`, '%ff'])
  const cookie = rng.pick([flow.cookie, '', 'csrf_token_x=garbage', ctx.cookie])
  return { method: 'GET', path: `/.ory/self-service/${flow.kind}/flows?id=${id}`, headers: cookie ? { cookie } : {} }
}

function logoutCase(rng: Rng, ctx: KratosContext): FuzzRequest {
  const cookie = rng.pick(['', ctx.cookie, 'ory_kratos_session=garbage'])
  const returnTo = rng.chance(0.5) ? `return_to=${rng.pick(oddReturnTo(ctx.origin))}` : ''
  const accept: Record<string, string> = rng.chance(0.5) ? { accept: rng.pick(accepts) } : {}
  const choices: Array<() => FuzzRequest> = [
    () => ({ method: 'GET', path: `/.ory/self-service/logout/browser${returnTo ? `?${returnTo}` : ''}`, headers: { ...accept, ...(cookie ? { cookie } : {}) } }),
    () => ({
      method: 'GET',
      path: `/.ory/self-service/logout?token=${rng.pick(['junk', '', 'x'.repeat(3000), '%00', '__proto__'])}${returnTo ? `&${returnTo}` : ''}`,
      headers: { ...accept, ...(cookie ? { cookie } : {}) },
    }),
    () => {
      // Never a real session token: the fuzzer's own people stay signed in.
      const fields = { session_token: rng.pick(['junk', 1, null, [], {}, '', 'x'.repeat(5000), ['a', 'b'], { $ne: null }]) }
      const body = encode(rng, fields, rng.chance(0.4))
      return { method: 'DELETE', path: '/.ory/self-service/logout/api', headers: body.headers, ...(body.body !== undefined ? { body: body.body } : {}) }
    },
  ]
  return rng.pick(choices)()
}

const strayPaths = [
  '/.ory/', '/.ory', '/.ory/..%2f..%2fapi%2ftickets', '/.ory/admin/identities', '/.ory/admin/sessions', '/.ory/self-service/login/browser/../../sessions/whoami',
  '/.ory/%2e%2e/api/tickets', '/.ory/self-service/', '/.ory/self-service/settings/browser', '/.ory/self-service/recovery/api', '/.ory/identities',
  '/.ory/sessions/whoami/', '/.ory/self-service/registration/flows/', '/.ory/health/ready', '/.ory/schemas',
]

function oddMethodCase(rng: Rng, ctx: KratosContext): FuzzRequest {
  const flow = rng.pick(ctx.flows)
  const path = rng.pick([
    `/.ory/self-service/${flow.kind}/browser`, `/.ory/self-service/${flow.kind}/api`, `/.ory/self-service/${flow.kind}?flow=${flow.id}`,
    `/.ory/self-service/${flow.kind}/flows?id=${flow.id}`, '/.ory/self-service/logout/api', '/.ory/self-service/logout/browser',
    '/.ory/sessions/whoami', ...strayPaths,
  ])
  const method = rng.pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE', 'POST', 'GET', 'SEARCH', 'PURGE'])
  const body = rng.chance(0.5) && method !== 'GET' && method !== 'HEAD' ? encode(rng, fieldsFor(rng, flow, ctx), rng.chance(0.3)) : undefined
  return {
    method,
    path,
    headers: { ...body?.headers, ...(flow.type === 'browser' ? { cookie: flow.cookie } : {}), ...(rng.chance(0.3) ? oddHeaders(rng, ctx) : {}) },
    ...(body?.body !== undefined ? { body: body.body } : {}),
  }
}

const otherCases: Array<(rng: Rng, ctx: KratosContext) => FuzzRequest> = [
  (rng, ctx) => ({ method: 'GET', path: `/.ory/sessions/whoami${rng.chance(0.2) ? `?${rng.pick(oddQueryKeys)}` : ''}`, headers: oddHeaders(rng, ctx) }),
  (rng) => ({ method: 'GET', path: `/.ory/schemas/${rng.pick([...oddSegments, 'default', Buffer.from('default').toString('base64url'), Buffer.from('__proto__').toString('base64url')])}`, headers: {} }),
]

/**
 * One malformed request to Kratos's self-service API through the gateway: mostly submits of real flows
 * with spoilt fields in JSON, form and multipart bodies, then flow starts, flow fetches, logouts and odd methods.
 */
export function kratosCase(rng: Rng, ctx: KratosContext): FuzzRequest {
  const roll = rng.int(100)
  if (roll < 50) return submitCase(rng, ctx)
  if (roll < 60) return initCase(rng, ctx)
  if (roll < 70) return getFlowCase(rng, ctx)
  if (roll < 83) return logoutCase(rng, ctx)
  if (roll < 93) return oddMethodCase(rng, ctx)
  return rng.pick(otherCases)(rng, ctx)
}
