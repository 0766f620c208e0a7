import { Writable } from 'node:stream'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kratosIdentify, requireUser, type Identify } from './auth'
import { AppError, problemErrorHandler } from './errors'
import { createLogger, requestLogger } from './logger'
import { createPermissions, KETO_ATTEMPTS, type Permissions } from './permissions'
import { listen, type RunningServer } from './server'

// A server that answers every request with the status its path names (`/500/...`), standing in for a
// Kratos or Keto that fails; the clients under test are the real @ory ones. Under `/flaky/<key>/<n>/<status>/`
// it fails the first n requests of that key with the status, then answers as Keto does; `/answer/` says
// "allowed" in a shape Keto never uses. `calls` counts the requests per key.
let failing: RunningServer
const calls = new Map<string, number>()
beforeAll(async () => {
  const app = new Hono()
  app.all('/flaky/:key/:failures/:status/*', (c) => {
    const key = c.req.param('key')
    const call = (calls.get(key) ?? 0) + 1
    calls.set(key, call)
    if (call <= Number(c.req.param('failures'))) return c.json({ error: { message: 'Unable to serialize access due to a concurrent update' } }, Number(c.req.param('status')) as 500)
    return c.req.method === 'GET' ? c.json({ allowed: true }) : c.body(null, 204)
  })
  app.get('/answer/:body/*', (c) => c.body(c.req.param('body'), 200, { 'Content-Type': 'application/json' }))
  app.all('/:status/*', (c) => c.json({ error: { message: 'failing on purpose' } }, Number(c.req.param('status')) as 400))
  failing = await listen(app, { port: 0 })
})
afterAll(() => failing.close())

const closedPort = 'http://127.0.0.1:9'
const kratosAnswering = (status: number) => kratosIdentify({ kratosPublicUrl: `${failing.url}/${status}` })
const ketoAnswering = (status: number) => createPermissions({ readUrl: `${failing.url}/${status}`, writeUrl: `${failing.url}/${status}` })

type LogLine = { level: number; requestId?: string; code?: string; err?: { message: string } }

/** An app as createServiceApp frames it (request logs, problem errors), its log lines, and a route. */
function appLogging(route: (app: Hono) => void) {
  const lines: LogLine[] = []
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as LogLine), done()) })
  const logger = createLogger({ name: 'test', destination })
  const app = new Hono()
  app.onError(problemErrorHandler(logger))
  app.use(requestLogger(logger))
  route(app)
  const request = (path: string) => app.request(path, { headers: { 'x-request-id': 'req-1', 'x-session-token': 'secret-token' } })
  return { lines, request, errors: () => lines.filter((l) => l.level === 50) }
}

describe('when Kratos fails', () => {
  it.each([500, 502, 503])('when it answers %i, then 503 identity-unavailable, its cause naming the call and the status', async (status) => {
    const failure = await kratosAnswering(status)({ sessionToken: 't' }).catch((err: unknown) => err)

    expect(failure).toBeInstanceOf(AppError)
    expect(failure).toMatchObject({ status: 503, code: 'identity-unavailable' })
    expect(((failure as Error).cause as Error).message).toBe(`GET ${failing.url}/${status}/sessions/whoami answered ${status}`)
  })

  it('when nothing answers, then 503 identity-unavailable, its cause the network error', async () => {
    const failure = await kratosIdentify({ kratosPublicUrl: closedPort })({ sessionToken: 't' }).catch((err: unknown) => err)

    expect(failure).toMatchObject({ status: 503, code: 'identity-unavailable' })
    expect(((failure as Error).cause as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:9\/sessions\/whoami failed: ECONNREFUSED/)
  })

  it('when it answers 400, then it is our bug: a 500 logged once with its cause and the request id, and no token in the log', async () => {
    const { request, errors, lines } = appLogging((app) => app.get('/me', requireUser(kratosAnswering(400)), (c) => c.json(c.var.user)))

    const res = await request('/me')

    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ code: 'internal' })
    expect(errors()).toHaveLength(1)
    // pino writes the cause after the message.
    expect(errors()[0]).toMatchObject({
      requestId: 'req-1',
      err: { message: `the identity service refused our request with 400: GET ${failing.url}/400/sessions/whoami answered 400` },
    })
    expect(JSON.stringify(lines)).not.toContain('secret-token')
  })

  it.each([401, 403])('when it answers %i, then the caller is nobody (401 from requireUser), and nothing is logged as an error', async (status) => {
    const identify: Identify = kratosAnswering(status)
    const { request, errors } = appLogging((app) => app.get('/me', requireUser(identify), (c) => c.json(c.var.user)))

    expect(await identify({ sessionToken: 't' })).toBeNull()
    expect((await request('/me')).status).toBe(401)
    expect(errors()).toEqual([])
  })
})

describe('when Keto fails', () => {
  const check = (permissions: Permissions) => permissions.check('Ticket', 't1', 'edit', 'u1')

  it.each([500, 503])('when it answers %i, then checks and writes are 503 permissions-unavailable with the call as cause', async (status) => {
    const keto = ketoAnswering(status)

    const failure = await check(keto).catch((err: unknown) => err)

    expect(failure).toMatchObject({ status: 503, code: 'permissions-unavailable' })
    expect(((failure as Error).cause as Error).message).toMatch(new RegExp(`^GET ${failing.url}/${status}/relation-tuples/check/openapi\\?.* answered ${status}$`))
    await expect(keto.grant([{ namespace: 'Ticket', object: 't1', relation: 'owners', subjectId: 'u1' }])).rejects.toMatchObject({ status: 503 })
  })

  it('when nothing answers, then 503 permissions-unavailable, never allowed', async () => {
    const keto = createPermissions({ readUrl: closedPort, writeUrl: closedPort })

    await expect(check(keto)).rejects.toMatchObject({ status: 503, code: 'permissions-unavailable' })
    await expect(keto.require('Ticket', 't1', 'edit', 'u1')).rejects.toMatchObject({ status: 503 })
  })

  it('when it answers 400, then neither allowed nor 503: a 500 logged once with its cause and the request id', async () => {
    const keto = ketoAnswering(400)
    const { request, errors } = appLogging((app) =>
      app.get('/edit', async (c) => {
        await keto.require('Ticket', 't1', 'edit', 'u1')
        return c.text('allowed')
      }),
    )

    const res = await request('/edit')

    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('allowed')
    expect(errors()).toHaveLength(1)
    expect(errors()[0]).toMatchObject({ requestId: 'req-1' })
    expect(errors()[0]!.err?.message).toMatch(/^the permissions service refused our request with 400: GET \S+\/400\/relation-tuples\/check\/openapi\?\S+ answered 400$/)
  })
})

describe('when Keto fails for a moment', () => {
  let flakyKeys = 0
  /** A Keto that fails `failures` times with `status`, then answers; and how many requests it got. */
  function flakyKeto(failures: number, status: number) {
    const key = `k${++flakyKeys}`
    const url = `${failing.url}/flaky/${key}/${failures}/${status}`
    return { keto: createPermissions({ readUrl: url, writeUrl: url }), calls: () => calls.get(key) ?? 0 }
  }
  const tuple = { namespace: 'Ticket', object: 't1', relation: 'owners', subjectId: 'u1' }

  it('when it fails twice with 500 (a serialization conflict), then the third try answers and the check is allowed', async () => {
    const { keto, calls } = flakyKeto(2, 500)

    expect(await keto.check('Ticket', 't1', 'edit', 'u1')).toBe(true)
    expect(calls()).toBe(3)
  })

  it('when a write fails twice with 503, then the third try writes it', async () => {
    const { keto, calls } = flakyKeto(2, 503)

    await keto.grant([tuple])

    expect(calls()).toBe(3)
  })

  it(`when it keeps failing, then 503 permissions-unavailable after ${KETO_ATTEMPTS} tries, never allowed`, async () => {
    const reads = flakyKeto(Number.MAX_SAFE_INTEGER, 500)
    const writes = flakyKeto(Number.MAX_SAFE_INTEGER, 502)

    await expect(reads.keto.require('Ticket', 't1', 'edit', 'u1')).rejects.toMatchObject({ status: 503, code: 'permissions-unavailable' })
    await expect(writes.keto.revoke([tuple])).rejects.toMatchObject({ status: 503, code: 'permissions-unavailable' })
    expect([reads.calls(), writes.calls()]).toEqual([KETO_ATTEMPTS, KETO_ATTEMPTS])
  })

  it.each([400, 403, 404, 409])('when it answers %i, then it is asked once: a 4xx is not retried', async (status) => {
    const reads = flakyKeto(1, status)
    const writes = flakyKeto(1, status)

    await expect(reads.keto.check('Ticket', 't1', 'edit', 'u1')).rejects.toThrow(`the permissions service refused our request with ${status}`)
    await expect(writes.keto.grant([tuple])).rejects.toThrow(`the permissions service refused our request with ${status}`)
    expect([reads.calls(), writes.calls()]).toEqual([1, 1])
  })

  it.each(['{"allowed":"true"}', '{"allowed":1}', '{}', '"allowed"'])('when it answers 200 %s, then that is not allowed: the check fails', async (body) => {
    const url = `${failing.url}/answer/${encodeURIComponent(body)}`
    const keto = createPermissions({ readUrl: url, writeUrl: url })

    await expect(keto.check('Ticket', 't1', 'edit', 'u1')).rejects.toThrow('the permissions service answered a check without a yes or no')
    await expect(keto.require('Ticket', 't1', 'edit', 'u1')).rejects.toThrow('the permissions service answered a check without a yes or no')
  })
})

describe('problemErrorHandler', () => {
  it('when a 5xx AppError is thrown, then it is logged once with its code, cause and request id; a 4xx one is not logged as an error', async () => {
    const { request, errors } = appLogging((app) => {
      app.get('/away', () => {
        throw new AppError('storage-unavailable', 503, 'Try again', undefined, { cause: new Error('connection reset') })
      })
      app.get('/gone', () => {
        throw new AppError('ticket-not-found', 404, 'Ticket not found')
      })
    })

    const away = await request('/away')
    const gone = await request('/gone')

    expect([away.status, gone.status]).toEqual([503, 404])
    expect(errors()).toHaveLength(1)
    expect(errors()[0]).toMatchObject({ requestId: 'req-1', code: 'storage-unavailable', err: { message: 'Try again: connection reset' } })
  })
})
