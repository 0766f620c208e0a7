import { Writable } from 'node:stream'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { orderCreatedExample } from '../contracts'
import { silentLogger } from '../testing'
import { createLogger } from './logger'
import { createSubscriptionRouter, PoisonMessageError, subscribe, type EventHandler } from './subscriptions'

function appWith(handle: EventHandler<'order.created'>, logger = silentLogger()) {
  const app = new Hono()
  app.route('/', createSubscriptionRouter({ appId: 'tickets', pubsubName: 'pubsub', subscriptions: [subscribe('order.created', handle)], logger }))
  return app
}

const deliver = (app: Hono, data: unknown, id = 'evt-1') =>
  app.request('/events/order.created', {
    method: 'POST',
    headers: { 'Content-Type': 'application/cloudevents+json' },
    body: JSON.stringify({
      id, source: 'orders', type: 'com.dapr.event.sent', specversion: '1.0', datacontenttype: 'application/json',
      data, topic: 'order.created', pubsubname: 'pubsub', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    }),
  })

describe('subscription router (the routes the Dapr sidecar calls)', () => {
  it("when the sidecar asks /dapr/subscribe, then each topic has a route and the app's dead-letter topic, which it keeps itself", async () => {
    const res = await appWith(async () => {}).request('/dapr/subscribe')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([
      { pubsubname: 'pubsub', topic: 'order.created', routes: { default: '/events/order.created' }, deadLetterTopic: 'tickets.dead-letter' },
      { pubsubname: 'pubsub', topic: 'tickets.dead-letter', routes: { default: '/events/dead-letter' } },
    ])
  })

  it('when a dead letter arrives, then it is logged whole with its id and original topic, and answered SUCCESS', async () => {
    const lines: Array<Record<string, unknown>> = []
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) })
    const app = appWith(async () => {}, createLogger({ name: 'tickets', destination }))
    const res = await app.request('/events/dead-letter', {
      method: 'POST',
      headers: { 'Content-Type': 'application/cloudevents+json' },
      body: JSON.stringify({ id: 'evt-9', source: 'orders', topic: 'order.created', specversion: '1.0', data: { id: 'broken' } }),
    })
    expect(await res.json()).toEqual({ status: 'SUCCESS' })
    expect(lines).toEqual([expect.objectContaining({ level: 50, eventId: 'evt-9', topic: 'order.created', source: 'orders', deadLetter: expect.objectContaining({ data: { id: 'broken' } }) as unknown })])
  })

  it('when a valid event is handled, then the handler gets the typed payload and the answer is SUCCESS', async () => {
    const seen: unknown[] = []
    const res = await deliver(appWith(async (event, meta) => void seen.push([event, meta.id])), orderCreatedExample)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'SUCCESS' })
    expect(seen).toEqual([[orderCreatedExample, 'evt-1']])
  })

  it('when the payload breaks its contract, then the answer is DROP and the handler is not called', async () => {
    let called = false
    const res = await deliver(appWith(async () => void (called = true)), { ...orderCreatedExample, ticket: { id: 't1', price: 12.5 } })
    expect(await res.json()).toEqual({ status: 'DROP' })
    expect(called).toBe(false)
  })

  it('when the body is not a CloudEvent, then the answer is DROP', async () => {
    const res = await appWith(async () => {}).request('/events/order.created', { method: 'POST', body: 'not json' })
    expect(await res.json()).toEqual({ status: 'DROP' })
  })

  it('when the handler fails for a passing reason, then the answer is RETRY', async () => {
    const res = await deliver(appWith(async () => { throw new Error('database away') }), orderCreatedExample)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'RETRY' })
  })

  it('when the handler finds the message can never succeed, then the answer is DROP', async () => {
    const res = await deliver(appWith(async () => { throw new PoisonMessageError('unknown ticket') }), orderCreatedExample)
    expect(await res.json()).toEqual({ status: 'DROP' })
  })
})
