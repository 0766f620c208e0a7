import { Writable } from 'node:stream'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kratosIdentify, requireUser, type Identify } from './auth'
import { AppError, problemErrorHandler } from './errors'
import { createLogger, requestLogger } from './logger'
import { createPermissions, type Permissions } from './permissions'
import { listen, type RunningServer } from './server'

// A server that answers every request with the status its path names (`/500/...`), standing in for a
// Kratos or Keto that fails; the clients under test are the real @ory ones.
let failing: RunningServer
beforeAll(async () => {
  const app = new Hono()
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
