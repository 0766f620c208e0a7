import type { z } from '@hono/zod-openapi'
import { beforeEach, describe, expect, it } from 'vitest'
import { useKeto } from '@ticketing/shared/testing/keto'
import { orderCancelledExample, orderCreatedExample } from '@ticketing/shared/contracts'
import type { Permissions } from '@ticketing/shared/permissions'
import { openSqlite } from '@ticketing/shared/sqlite'
import type { Problem as ProblemSchema } from '@ticketing/shared/platform'
import { deliverEvent, silentLogger, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import type { TicketPage, TicketSchema } from '../src/http/schemas'
import { createSqliteTicketsStore } from '../src/storage/tickets.sqlite'
import type { TicketsStore } from '../src/storage/tickets.store'

const ann = { id: 'ann', email: 'ann@example.com' }
const bob = { id: 'bob', email: 'bob@example.com' }
const identify = tokenIdentify({ 'token-ann': ann, 'token-bob': bob })
const now = new Date('2026-06-01T10:00:00.000Z')

const keto = useKeto()
let permissions: Permissions

let store: TicketsStore
let app: ReturnType<typeof createApp>
beforeEach(() => {
  permissions = keto()
  store = createSqliteTicketsStore(openSqlite(':memory:'))
  let n = 0
  app = createApp({
    store, permissions, identify, logger: silentLogger(), pubsubName: 'pubsub', relay: { kick() {} },
    clock: () => now,
    // Sortable ids, unique across tests because Keto outlives each app.
    newId: () => `${Date.now().toString(36)}-${String(++n).padStart(4, '0')}`,
  })
})

const send = (method: string, path: string, token?: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { ...(token ? { 'X-Session-Token': token } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })

type Ticket = z.infer<typeof TicketSchema>
type Page = z.infer<typeof TicketPage>
type Problem = z.infer<typeof ProblemSchema>
// The body as the shape the test expects of it; the assertions check it.
const json = async <T = unknown>(res: Response): Promise<T> => (await res.json()) as T
// vitest types its asymmetric matchers `any`; as `unknown` one can stand for a field of an expected body.
const anyString: unknown = expect.any(String)

const list = async (title: string, token = 'token-ann', price = 4200) => {
  const res = await send('POST', '/api/tickets', token, { title, description: 'Row 5', price })
  return (await res.json()) as { id: string; version: number }
}

const deliver = (topic: string, data: object) => deliverEvent(app, topic, data)

const pendingTopics = async (id: string) => (await store.pending(100)).find((row) => row.key === id)?.events.map((e) => [e.topic, (e.data as { version: number }).version])

describe('POST /api/tickets', () => {
  it('when a signed-in seller lists a ticket, then 201 returns it at version 1 and ticket.created is pending', async () => {
    const res = await send('POST', '/api/tickets', 'token-ann', { title: '  Radiohead, Berlin  ', description: 'Standing', price: 8900 })
    expect(res.status).toBe(201)
    const ticket = await json<Ticket>(res)
    expect(ticket).toEqual({
      id: anyString, title: 'Radiohead, Berlin', description: 'Standing', price: 8900, userId: 'ann',
      orderId: null, version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString(),
    })
    expect(res.headers.get('location')).toBe(`/api/tickets/${ticket.id}`)
    expect(await pendingTopics(ticket.id)).toEqual([['ticket.created', 1]])
    expect(await permissions.check('Ticket', ticket.id, 'edit', 'ann')).toBe(true)
  })

  it('when nobody is signed in, then 401 as a problem document', async () => {
    const res = await send('POST', '/api/tickets', undefined, { title: 'Opera', price: 100 })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 401, code: 'unauthorized' })
  })

  it.each([
    ['a 2-letter title', { title: 'ab', price: 100 }, 'title'],
    ['a 121-letter title', { title: 'x'.repeat(121), price: 100 }, 'title'],
    ['a fractional price', { title: 'Opera', price: 12.5 }, 'price'],
    ['a zero price', { title: 'Opera', price: 0 }, 'price'],
    ['a negative price', { title: 'Opera', price: -5 }, 'price'],
    ['a price under what Stripe charges', { title: 'Opera', price: 49 }, 'price'],
    ['a price over what Stripe charges', { title: 'Opera', price: 100_000_000 }, 'price'],
    ['a price as a string', { title: 'Opera', price: '100' }, 'price'],
    ['no price', { title: 'Opera' }, 'price'],
    ['a 2001-letter description', { title: 'Opera', price: 100, description: 'x'.repeat(2001) }, 'description'],
    ['a field the client may not set', { title: 'Opera', price: 100, userId: 'bob' }, 'userId'],
  ])('when the body has %s, then 400 names the field', async (_case, body, field) => {
    const res = await send('POST', '/api/tickets', 'token-ann', body)
    expect(res.status).toBe(400)
    const problem = await json<Problem>(res)
    expect(problem).toMatchObject({ status: 400, code: 'validation-failed' })
    expect(problem.errors?.map((e) => e.field)).toContain(field)
  })

  it('when the price is off, then the reason says what a price must be', async () => {
    const low = await json<Problem>(await send('POST', '/api/tickets', 'token-ann', { title: 'Opera', price: 10 }))
    expect(low.errors).toEqual([{ field: 'price', message: 'A price is at least 50 cents, the least Stripe charges' }])
    const fraction = await json<Problem>(await send('POST', '/api/tickets', 'token-ann', { title: 'Opera', price: 10.5 }))
    expect(fraction.errors).toEqual([{ field: 'price', message: 'A price is a whole number of cents' }])
  })

  it('when the body is not JSON, then 400 and nothing is stored', async () => {
    const res = await app.request('/api/tickets', { method: 'POST', headers: { 'X-Session-Token': 'token-ann', 'Content-Type': 'application/json' }, body: '{"title":' })
    expect(res.status).toBe(400)
    expect(await store.search({ limit: 10 })).toEqual([])
  })
})

describe('GET /api/tickets', () => {
  it('when searching by name, then matches come in any case, newest first, page by page', async () => {
    await list('Radiohead Berlin')
    await list('Opera night')
    await list('RADIOHEAD Paris')
    const first = await json<Page>(await send('GET', '/api/tickets?q=radiohead&limit=1'))
    expect(first.items.map((t) => t.title)).toEqual(['RADIOHEAD Paris'])
    const second = await json<Page>(await send('GET', `/api/tickets?q=radiohead&limit=1&cursor=${first.nextCursor}`))
    expect(second.items.map((t) => t.title)).toEqual(['Radiohead Berlin'])
    expect(second.nextCursor).toBeNull()
    const all = await json<Page>(await send('GET', '/api/tickets'))
    expect(all.items).toHaveLength(3)
  })

  it.each([['limit=101', 'limit'], ['limit=0', 'limit'], ['limit=abc', 'limit'], ['cursor=garbage', 'cursor']])(
    'when the query has %s, then 400 names %s', async (query, field) => {
      const res = await send('GET', `/api/tickets?${query}`)
      expect(res.status).toBe(400)
      expect((await json<Problem>(res)).errors).toEqual([expect.objectContaining({ field })])
    },
  )
})

describe('GET /api/tickets/:id', () => {
  it('when the ticket exists, then anyone gets it; when not, then 404', async () => {
    const { id } = await list('Opera night')
    const res = await send('GET', `/api/tickets/${id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, title: 'Opera night', price: 4200, userId: 'ann' })
    const missing = await send('GET', '/api/tickets/nope')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ code: 'ticket-not-found' })
  })
})

describe('PATCH /api/tickets/:id', () => {
  it('when the seller edits, then 200 with the changes in version 2 and ticket.updated is pending', async () => {
    const { id } = await list('Opera night')
    const res = await send('PATCH', `/api/tickets/${id}`, 'token-ann', { price: 5000, title: 'Opera, gala night' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, title: 'Opera, gala night', price: 5000, version: 2 })
    expect(await pendingTopics(id)).toEqual([['ticket.created', 1], ['ticket.updated', 2]])
  })

  it('when someone else edits, then 403 and nothing changes', async () => {
    const { id } = await list('Opera night')
    const res = await send('PATCH', `/api/tickets/${id}`, 'token-bob', { price: 100 })
    expect(res.status).toBe(403)
    expect(await store.get(id)).toMatchObject({ price: 4200, version: 1 })
  })

  it('when not signed in, the ticket is unknown, or the body is empty, then 401, 404 and 400', async () => {
    const { id } = await list('Opera night')
    expect((await send('PATCH', `/api/tickets/${id}`, undefined, { price: 100 })).status).toBe(401)
    expect((await send('PATCH', '/api/tickets/nope', 'token-ann', { price: 100 })).status).toBe(404)
    const empty = await send('PATCH', `/api/tickets/${id}`, 'token-ann', {})
    expect(empty.status).toBe(400)
    expect((await json<Problem>(empty)).errors?.[0]?.message).toMatch(/at least one/)
  })

  it('when an order holds the ticket, then 409; after the order is cancelled, then editable again', async () => {
    const { id } = await list('Opera night')
    await deliver('order.created', { ...orderCreatedExample, id: 'o1', ticket: { id, price: 4200 } })
    const reserved = await send('PATCH', `/api/tickets/${id}`, 'token-ann', { price: 100 })
    expect(reserved.status).toBe(409)
    expect(await reserved.json()).toMatchObject({ code: 'ticket-reserved' })

    await deliver('order.cancelled', { ...orderCancelledExample, id: 'o1', ticket: { id } })
    const res = await send('PATCH', `/api/tickets/${id}`, 'token-ann', { price: 100 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ price: 100, orderId: null, version: 4 })
  })
})

describe('order events', () => {
  it('when order.created arrives twice, then the ticket is reserved once, in one new version', async () => {
    const { id } = await list('Opera night')
    const order = { ...orderCreatedExample, id: 'o1', ticket: { id, price: 4200 } }
    expect(await deliver('order.created', order)).toBe('SUCCESS')
    expect(await deliver('order.created', order)).toBe('SUCCESS')
    expect(await (await send('GET', `/api/tickets/${id}`)).json()).toMatchObject({ orderId: 'o1', version: 2 })
    expect(await pendingTopics(id)).toEqual([['ticket.created', 1], ['ticket.updated', 2]])
  })

  it('when order.cancelled arrives before order.created, then the ticket ends free', async () => {
    const { id } = await list('Opera night')
    await deliver('order.cancelled', { ...orderCancelledExample, id: 'o1', ticket: { id } })
    await deliver('order.created', { ...orderCreatedExample, id: 'o1', ticket: { id, price: 4200 } })
    expect(await (await send('GET', `/api/tickets/${id}`)).json()).toMatchObject({ orderId: null })
  })

  it('when an order names an unknown ticket, then the event is dropped to the dead-letter topic', async () => {
    expect(await deliver('order.created', { ...orderCreatedExample, ticket: { id: 'nope', price: 1 } })).toBe('DROP')
  })
})

describe('service endpoints', () => {
  // The parts of the generated document this test looks at.
  type OpenApiDocument = { paths: object; components: { schemas: { Ticket: { properties: { price: { type: string } } } } } }

  it('when asked, then /healthz is ok and the OpenAPI document lists the ticket routes', async () => {
    expect(await (await send('GET', '/healthz')).json()).toEqual({ status: 'ok' })
    const doc = await json<OpenApiDocument>(await send('GET', '/api/tickets/openapi.json'))
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/tickets', '/api/tickets/{id}'])
    expect(doc.components.schemas.Ticket.properties.price.type).toBe('integer')
  })

  it('when the sidecar asks for subscriptions, then order.created and order.cancelled are listed', async () => {
    const subs = await json<Array<{ topic: string }>>(await send('GET', '/dapr/subscribe'))
    expect(subs.map((s) => s.topic)).toEqual(['order.created', 'order.cancelled', 'tickets.dead-letter'])
  })
})
