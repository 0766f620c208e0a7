import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBroker, startSidecar, type Broker, type Sidecar } from '@ticketing/dev/dapr'
import { orderCancelledExample, orderCompletedExample, orderCreatedExample } from '@ticketing/shared/contracts'
import { currentTraceparent, eventId, listen, traceIdOf, type Reminders, type RunningServer } from '@ticketing/shared/platform'
import { type Publisher } from '@ticketing/shared/publisher'
import { deliverEvent, silentLogger } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import { createDaprExpirationStore } from '../src/storage/expirations.dapr'
import type { ExpirationStore } from '../src/storage/expirations.store'

const orderId = 'ord_1'
const expiresAt = '2026-06-01T10:15:00.000Z'
const created = { ...orderCreatedExample, id: orderId, expiresAt, version: 1 }
const cancelled = { ...orderCancelledExample, id: orderId, version: 2 }
const completed = { ...orderCompletedExample, id: orderId, version: 2 }

/** The sidecar's reminder API as seen from the app: what is registered now, and every call made. */
function recordingReminders() {
  const active = new Map<string, { dueTime: string; data?: unknown }>()
  const calls: string[] = []
  let down = false
  const reminders: Reminders = {
    async schedule(type, id, name, reminder) {
      if (down) throw new Error('sidecar away')
      calls.push(`schedule ${type}/${id}/${name}`)
      active.set(`${type}/${id}/${name}`, reminder)
    },
    async cancel(type, id, name) {
      if (down) throw new Error('sidecar away')
      calls.push(`cancel ${type}/${id}/${name}`)
      active.delete(`${type}/${id}/${name}`)
    },
  }
  return { reminders, active, calls, setDown: (value: boolean) => void (down = value) }
}

function recordingPublisher() {
  const published: Array<{ topic: string; data: unknown; id?: string }> = []
  const traceIds: Array<string | undefined> = []
  let failing = false
  const publisher: Publisher = {
    async publish(topic, data, options) {
      if (failing) throw new Error('publish to expiration.completed failed: broker away')
      // The CloudEvent id the Dapr publisher sends: the one asked for, or its deterministic default.
      published.push({ topic, data, id: options?.id ?? eventId(topic, data) })
      // The trace the Dapr publisher sends: the one asked for, or the one the publish runs in.
      traceIds.push(traceIdOf(options?.traceparent ?? currentTraceparent()))
    },
  }
  return { publisher, published, traceIds, setFailing: (value: boolean) => void (failing = value) }
}

let store: ExpirationStore
let sidecar: ReturnType<typeof recordingReminders>
let bus: ReturnType<typeof recordingPublisher>
let app: ReturnType<typeof createApp>
const build = (withStore: ExpirationStore) =>
  createApp({ store: withStore, reminders: sidecar.reminders, publisher: bus.publisher, logger: silentLogger(), pubsubName: 'pubsub' })

// The records live in the Dapr state API, as in every run: a sidecar stand-in with a broker of its own per test.
let broker: Broker
let stateSidecar: Sidecar
let stateApp: RunningServer
beforeEach(async () => {
  broker = createBroker({ logger: { info() {}, warn() {}, error() {} } })
  stateApp = await listen(new Hono().get('/healthz', (c) => c.text('ok')), { port: 0 })
  stateSidecar = await startSidecar({ appId: 'expiration-state', appUrl: stateApp.url, broker })
  store = createDaprExpirationStore({ daprUrl: stateSidecar.url, storeName: 'statestore' })
  sidecar = recordingReminders()
  bus = recordingPublisher()
  app = build(store)
})
afterEach(async () => {
  await broker.close()
  await stateSidecar.close()
  await stateApp.close()
})

const fire = (id = orderId, name = 'expire') =>
  app.request(`/actors/OrderExpiration/${id}/method/remind/${name}`, {
    method: 'PUT',
    body: JSON.stringify({ dueTime: expiresAt, period: '' }),
  })

const aTraceparent: unknown = expect.stringMatching(/^00-[\da-f]{32}-[\da-f]{16}-01$/)

const recordOf = async (id = orderId) => (await store.get(id))?.record ?? null

describe('service routes', () => {
  it('when /healthz is asked, then it answers ok', async () => {
    const res = await app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('when the OpenAPI document is asked, then it says there is no public API (no paths)', async () => {
    const res = await app.request('/api/expiration/openapi.json')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Expiration' }, paths: {} })
  })

  it('when the sidecar asks /dapr/config, then OrderExpiration is the one actor type', async () => {
    expect(await (await app.request('/dapr/config')).json()).toMatchObject({ entities: ['OrderExpiration'] })
  })

  it('when the sidecar asks /dapr/subscribe, then the three order topics are listed with the dead-letter topic', async () => {
    const subscriptions = (await (await app.request('/dapr/subscribe')).json()) as Array<Record<string, unknown>>
    expect(subscriptions).toEqual([
      ...['order.created', 'order.cancelled', 'order.completed'].map((topic) => ({
        pubsubname: 'pubsub', topic, routes: { default: `/events/${topic}` }, deadLetterTopic: 'expiration.dead-letter',
      })),
      { pubsubname: 'pubsub', topic: 'expiration.dead-letter', routes: { default: '/events/dead-letter' } },
    ])
  })

  it('when an unknown route is asked, then 404 as a problem document', async () => {
    const res = await app.request('/api/expiration')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ status: 404, code: 'route-not-found' })
  })
})

describe('order events', () => {
  it("when an order is created, then a one-shot reminder is registered at expiresAt on the order's actor", async () => {
    expect(await deliverEvent(app, 'order.created', created)).toBe('SUCCESS')
    expect([...sidecar.active]).toEqual([['OrderExpiration/ord_1/expire', { dueTime: expiresAt, data: { traceparent: aTraceparent } }]])
    expect(await recordOf()).toEqual({ version: 1, status: 'created' })
  })

  it.each([
    ['order.cancelled', cancelled, 'cancelled'],
    ['order.completed', completed, 'complete'],
  ])('when %s follows, then the reminder is deleted', async (topic, data, status) => {
    await deliverEvent(app, 'order.created', created)
    expect(await deliverEvent(app, topic, data)).toBe('SUCCESS')
    expect(sidecar.active.size).toBe(0)
    expect(await recordOf()).toEqual({ version: 2, status })
  })

  it("when order.created comes in a trace, then its reminder keeps the trace and the expiry it fires is published in it", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'

    await deliverEvent(app, 'order.created', created, 'evt-1', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })
    const registered = sidecar.active.get('OrderExpiration/ord_1/expire')
    const res = await app.request('/actors/OrderExpiration/ord_1/method/remind/expire', {
      method: 'PUT',
      body: JSON.stringify({ dueTime: '', period: '', data: registered?.data }),
    })

    expect(res.status).toBe(200)
    expect(traceIdOf((registered?.data as { traceparent?: string } | undefined)?.traceparent)).toBe(traceId)
    expect(bus.published).toEqual([{ topic: 'expiration.completed', data: { orderId }, id: 'expiration.completed/ord_1' }])
    expect(bus.traceIds).toEqual([traceId])
  })

  it('when order.completed arrives before order.created, then no reminder is ever registered', async () => {
    await deliverEvent(app, 'order.completed', completed)
    await deliverEvent(app, 'order.created', created)
    expect(sidecar.calls).toEqual(['cancel OrderExpiration/ord_1/expire'])
    expect(await recordOf()).toEqual({ version: 2, status: 'complete' })
  })

  it('when every event comes twice and out of order, then the outcome is the same as in order', async () => {
    for (const [topic, data] of [['order.cancelled', cancelled], ['order.created', created], ['order.cancelled', cancelled], ['order.created', created]] as const) {
      expect(await deliverEvent(app, topic, data)).toBe('SUCCESS')
    }
    expect(sidecar.active.size).toBe(0)
    expect(sidecar.calls).not.toContain('schedule OrderExpiration/ord_1/expire')
    expect(await recordOf()).toEqual({ version: 2, status: 'cancelled' })
  })

  it('when the sidecar cannot register the reminder, then RETRY, and the redelivery registers it', async () => {
    sidecar.setDown(true)
    expect(await deliverEvent(app, 'order.created', created)).toBe('RETRY')
    sidecar.setDown(false)
    expect(await deliverEvent(app, 'order.created', created)).toBe('SUCCESS')
    expect(sidecar.active.get('OrderExpiration/ord_1/expire')).toEqual({ dueTime: expiresAt, data: { traceparent: aTraceparent } })
  })

  it('when the record keeps changing under every write, then RETRY', async () => {
    const contended: ExpirationStore = { get: (orderId) => store.get(orderId), put: async () => false }
    app = build(contended)
    expect(await deliverEvent(app, 'order.created', created)).toBe('RETRY')
    expect(sidecar.calls).toEqual([])
  })

  it('when the payload breaks its contract, then DROP and nothing changes', async () => {
    expect(await deliverEvent(app, 'order.created', { ...created, expiresAt: 'tomorrow' })).toBe('DROP')
    expect(sidecar.calls).toEqual([])
    expect(await recordOf()).toBeNull()
  })
})

describe('the expire reminder', () => {
  it('when it fires for a waiting order, then expiration.completed is published with a deterministic id and the answer is exactly 200', async () => {
    await deliverEvent(app, 'order.created', created)
    const res = await fire()
    expect(res.status).toBe(200)
    expect(bus.published).toEqual([{ topic: 'expiration.completed', data: { orderId }, id: 'expiration.completed/ord_1' }])
    expect(await recordOf()).toEqual({ version: 1, status: 'expired' })
  })

  it('when it fires again, then nothing more is published', async () => {
    await deliverEvent(app, 'order.created', created)
    await fire()
    expect((await fire()).status).toBe(200)
    expect(bus.published).toHaveLength(1)
  })

  it('when it fires for an order cancelled meanwhile (the delete raced the firing), then nothing is published and the answer is 200', async () => {
    await deliverEvent(app, 'order.created', created)
    await deliverEvent(app, 'order.cancelled', cancelled)
    expect((await fire()).status).toBe(200)
    expect(bus.published).toEqual([])
  })

  it('when publishing fails, then the answer is not 200 so the sidecar fires again, and the next firing publishes', async () => {
    await deliverEvent(app, 'order.created', created)
    bus.setFailing(true)
    expect((await fire()).status).toBe(500)
    expect(await recordOf()).toEqual({ version: 1, status: 'created' })
    bus.setFailing(false)
    expect((await fire()).status).toBe(200)
    expect(bus.published).toEqual([{ topic: 'expiration.completed', data: { orderId }, id: 'expiration.completed/ord_1' }])
  })

  it('when a reminder of another name fires, then it is answered 200 and nothing is published', async () => {
    await deliverEvent(app, 'order.created', created)
    expect((await fire(orderId, 'something-else')).status).toBe(200)
    expect(bus.published).toEqual([])
  })

  it('when a late order.created comes after the expiry was announced, then no new reminder is registered', async () => {
    await deliverEvent(app, 'order.created', created)
    await fire()
    sidecar.active.clear()
    await deliverEvent(app, 'order.created', created)
    expect(sidecar.active.size).toBe(0)
  })
})
