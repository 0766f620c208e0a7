import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { orderCancelledExample, orderCreatedExample } from '@ticketing/shared/contracts'
import { eventually } from '@ticketing/shared/testing'
import { startRecordingApp, type RecordingApp } from '../../dev/src/dapr/testing/recording-app'
import { signUpNative } from '../../dev/src/kratos'
import type { Stack } from '../../dev/src/stack'
import { json, startStack, type Items, type Ticket } from './support'

// The whole stack on one machine, driven over HTTP through the gateway only.
let stack: Stack
let listener: RecordingApp
let ann: { sessionToken: string; identityId: string }
let bob: { sessionToken: string; identityId: string }

beforeAll(async () => {
  stack = await startStack()
  // Another app on the same pub/sub, listening to what tickets publishes.
  listener = await startRecordingApp({
    subscriptions: [{ pubsubname: 'pubsub', topic: 'ticket.created', route: '/on/ticket.created' }, { pubsubname: 'pubsub', topic: 'ticket.updated', route: '/on/ticket.updated' }],
  })
  const sidecar = await stack.attach('listener', listener.url)
  const stopStack = stack.close.bind(stack)
  stack.close = async () => {
    await sidecar.close()
    await listener.close()
    await stopStack()
  }

  ann = await signUpNative(`${stack.url}/.ory`, 'ann@example.com', 'correct horse battery')
  bob = await signUpNative(`${stack.url}/.ory`, 'bob@example.com', 'another good password')
})
afterAll(() => stack?.close())

const api = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  fetch(`${stack.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { 'X-Session-Token': init.token } : {}),
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })

describe('the local stack, through the gateway', () => {
  it('when nobody is signed in, then whoami answers 401', async () => {
    const res = await api('/.ory/sessions/whoami')
    expect(res.status).toBe(401)
  })

  it('when two people sign up through the native flow, then each has a session and a profile from the web hook', async () => {
    const whoami = await json<{ identity: unknown }>(await api('/.ory/sessions/whoami', { token: ann.sessionToken }))
    expect(whoami.identity).toMatchObject({ id: ann.identityId, traits: { email: 'ann@example.com' } })
    const me = await json(await api('/api/users/me', { token: bob.sessionToken }))
    expect(me).toMatchObject({ id: bob.identityId, email: 'bob@example.com' })
  })

  it('when someone outside calls the registration web hook through the gateway, then it is not there', async () => {
    const res = await api('/hooks/registration', { method: 'POST', body: { identityId: crypto.randomUUID(), email: 'x@example.com' } })
    expect(res.status).toBe(404)
    expect((await api('/api/users/hooks/registration', { method: 'POST', body: {} })).status).toBe(404)
  })

  it('when Ann lists a ticket, then anyone finds it by name, Bob cannot edit it, Ann can', async () => {
    const created = await api('/api/tickets', { method: 'POST', token: ann.sessionToken, body: { title: 'Radiohead, Berlin', description: 'Standing', price: 8900 } })
    expect(created.status).toBe(201)
    const ticket = await json<Ticket>(created)
    expect(ticket).toMatchObject({ title: 'Radiohead, Berlin', price: 8900, userId: ann.identityId, version: 1, orderId: null })

    const found = await json<Items<Ticket>>(await api('/api/tickets?q=RADIOHEAD'))
    expect(found.items.map((t) => t.id)).toContain(ticket.id)
    expect((await json<Ticket>(await api(`/api/tickets/${ticket.id}`))).title).toBe('Radiohead, Berlin')

    const denied = await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', token: bob.sessionToken, body: { price: 100 } })
    expect(denied.status).toBe(403)
    const edited = await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', token: ann.sessionToken, body: { price: 9900 } })
    expect(await json(edited)).toMatchObject({ price: 9900, version: 2 })
  })

  it('when a ticket is listed and edited, then ticket.created and ticket.updated reach other apps through the sidecars', async () => {
    const ticket = await json<Ticket>(await api('/api/tickets', { method: 'POST', token: ann.sessionToken, body: { title: 'Opera night', price: 4000 } }))
    await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', token: ann.sessionToken, body: { price: 4500 } })
    const delivered = await eventually(() => {
      const updates = listener.callsTo('/on/ticket.updated').map((c) => c.body as { id: string; data: { id: string; price: number; version: number } })
      const mine = updates.find((e) => e.data.id === ticket.id)
      if (!mine) throw new Error('ticket.updated not delivered yet')
      return mine
    })
    expect(delivered).toMatchObject({ id: `ticket.updated/${ticket.id}/2`, source: 'tickets', type: 'com.dapr.event.sent', data: { price: 4500, version: 2 } })
    const createdEvent = listener.callsTo('/on/ticket.created').find((c) => (c.body as { data: { id: string } }).data.id === ticket.id)
    expect(createdEvent?.body).toMatchObject({ id: `ticket.created/${ticket.id}/1`, data: { title: 'Opera night', price: 4000, version: 1 } })
  })

  it('when an order event is published through a sidecar, then the ticket is reserved (409 on edit) and released on cancel', async () => {
    const ticket = await json<Ticket>(await api('/api/tickets', { method: 'POST', token: ann.sessionToken, body: { title: 'Jazz club', price: 2500 } }))
    const publish = (topic: string, data: object) =>
      fetch(`${stack.sidecars.auth}/v1.0/publish/pubsub/${topic}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) })

    expect((await publish('order.created', { ...orderCreatedExample, id: 'order-1', ticket: { id: ticket.id, price: 2500 } })).status).toBe(204)
    await eventually(async () => expect(await json(await api(`/api/tickets/${ticket.id}`))).toMatchObject({ orderId: 'order-1', version: 2 }))
    const reserved = await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', token: ann.sessionToken, body: { price: 100 } })
    expect(reserved.status).toBe(409)

    await publish('order.cancelled', { ...orderCancelledExample, id: 'order-1', ticket: { id: ticket.id } })
    await eventually(async () => expect(await json(await api(`/api/tickets/${ticket.id}`))).toMatchObject({ orderId: null, version: 3 }))
    expect((await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', token: ann.sessionToken, body: { price: 100 } })).status).toBe(200)
  })

  it('when an unknown path is asked, then the gateway answers a problem for /api and the web page otherwise', async () => {
    expect((await api('/api/nothing')).status).toBe(404)
    const page = await api('/some/page')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
  })
})
