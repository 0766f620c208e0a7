import { beforeEach, describe, expect, it } from 'vitest'
import type { Identify } from '@ticketing/shared/auth'
import { useKeto } from '@ticketing/shared/testing/keto'
import { orderCreatedExample } from '@ticketing/shared/contracts'
import { deliverEvent, silentLogger, tokenIdentify } from '@ticketing/shared/testing'
import { openSqlite } from '@ticketing/shared/sqlite'
import { createApp } from '../src/app'
import { createSqliteTicketsStore } from '../src/storage/tickets.sqlite'

// Issue 8: the body limit, cross-site writes and free text, through the tickets API.
const ann = { id: 'ann', email: 'ann@example.com' }
const byToken = tokenIdentify({ 'token-ann': ann })
// A browser's session cookie or a native client's token, as Kratos would resolve them.
const identify: Identify = async (credentials) => (credentials.cookie === 'ory_kratos_session=ann' ? ann : byToken(credentials))

const keto = useKeto()
let app: ReturnType<typeof createApp>
beforeEach(() => {
  let n = 0
  app = createApp({
    store: createSqliteTicketsStore(openSqlite(':memory:')), permissions: keto(), identify, logger: silentLogger(), pubsubName: 'pubsub',
    relay: { kick() {} }, clock: () => new Date('2026-06-01T10:00:00.000Z'), newId: () => `${Date.now().toString(36)}-edge-${++n}`,
  })
})

type Problem = { status: number; code: string; errors?: { field: string; message: string }[] }
const json = async <T>(res: Response) => (await res.json()) as T

const list = (headers: Record<string, string>, fields: object = {}) =>
  app.request('/api/tickets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title: 'Opera night', description: 'Row 5', price: 1000, ...fields }),
  })

describe('tickets: request bodies', () => {
  it('when a listing body is over 64 KiB, then 413 payload-too-large before anything is validated', async () => {
    const res = await list({ 'x-session-token': 'token-ann' }, { description: 'x'.repeat(65 * 1024) })
    expect(res.status).toBe(413)
    expect(await json<Problem>(res)).toMatchObject({ status: 413, code: 'payload-too-large' })
  })

  it('when Dapr delivers an order event, then it fits under the limit and is handled', async () => {
    const ticket = await json<{ id: string }>(await list({ 'x-session-token': 'token-ann' }))
    expect(await deliverEvent(app, 'order.created', { ...orderCreatedExample, id: 'o-edge', ticket: { id: ticket.id, price: 1000 } })).toBe('SUCCESS')
  })
})

describe('tickets: cross-site writes', () => {
  const cookie = 'ory_kratos_session=ann'

  it('when a page on another origin lists a ticket with the cookie, then 403 cross-site-request', async () => {
    const res = await list({ cookie, origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    expect(await json<Problem>(res)).toMatchObject({ status: 403, code: 'cross-site-request' })
  })

  it("when the app's own page lists a ticket with the cookie, then 201", async () => {
    expect((await list({ cookie, origin: 'http://localhost' })).status).toBe(201)
  })

  it('when an edit with the cookie says Sec-Fetch-Site cross-site and has no Origin, then 403', async () => {
    const res = await app.request('/api/tickets/any', {
      method: 'PATCH', headers: { cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body: JSON.stringify({ price: 2000 }),
    })
    expect(res.status).toBe(403)
  })

  it('when a native client lists with its token from another origin, then 201', async () => {
    expect((await list({ 'x-session-token': 'token-ann', origin: 'http://evil.example' })).status).toBe(201)
  })
})

describe('tickets: free text', () => {
  it('when a title holds a NUL or a description a right-to-left override, then 400 names each field and why', async () => {
    const res = await list({ 'x-session-token': 'token-ann' }, { title: 'Opera\u0000night', description: 'Row \u202E5' })
    expect(res.status).toBe(400)
    expect(await json<Problem>(res)).toMatchObject({
      code: 'validation-failed',
      errors: [
        { field: 'title', message: 'A title cannot contain control characters such as NUL, escape or line breaks' },
        { field: 'description', message: expect.stringContaining('cannot contain characters that reorder text') as unknown },
      ],
    })
  })

  it('when an edit sets a title with a control character, then 400 names the title', async () => {
    const created = await json<{ id: string }>(await list({ 'x-session-token': 'token-ann' }))
    const res = await app.request(`/api/tickets/${created.id}`, {
      method: 'PATCH', headers: { 'x-session-token': 'token-ann', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Opera\u0007' }),
    })
    expect(res.status).toBe(400)
    expect((await json<Problem>(res)).errors?.map((e) => e.field)).toEqual(['title'])
  })
})
