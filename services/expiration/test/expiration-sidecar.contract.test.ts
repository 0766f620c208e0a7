import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { constantRetries, createBroker, startSidecar, type Broker, type Sidecar } from '@ticketing/dev/dapr'
import { EXPIRATION_COMPLETED, orderCancelledExample, orderCompletedExample, orderCreatedExample } from '@ticketing/shared/contracts'
import { createDaprPublisher } from '@ticketing/shared/publisher'
import { createReminders, createSubscriptionRouter, eventId, listen, subscribe, type RunningServer } from '@ticketing/shared/platform'
import { eventually, silentLogger } from '@ticketing/shared/testing'
import { freePort } from '../../../dev/src/stack/free-port'
import { createApp } from '../src/app'
import { startExpiration } from '../src/start'
import { createDaprExpirationStore } from '../src/storage/expirations.dapr'

const quiet = { info() {}, warn() {}, error() {} }

const soon = (ms: number) => new Date(Date.now() + ms).toISOString()
let n = 0
const freshId = (label: string) => `ord_${label}_${Date.now().toString(36)}_${++n}`

const created = (id: string, expiresAt: string) => ({ ...orderCreatedExample, id, expiresAt, version: 1 })
const cancelled = (id: string) => ({ ...orderCancelledExample, id, version: 2 })
const completed = (id: string) => ({ ...orderCompletedExample, id, version: 2 })

/** Publishes through a sidecar's publish API, as the orders service would, with its deterministic event id. */
async function publish(sidecar: Sidecar, topic: 'order.created' | 'order.cancelled' | 'order.completed', data: { id: string; version: number }) {
  const id = encodeURIComponent(eventId(topic, data))
  const res = await fetch(`${sidecar.url}/v1.0/publish/pubsub/${topic}?metadata.cloudevent.id=${id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(data),
  })
  expect(res.status).toBe(204)
}

const reminderStatus = async (sidecar: Sidecar, orderId: string) =>
  (await fetch(`${sidecar.url}/v1.0/actors/OrderExpiration/${orderId}/reminders/expire`)).status

describe('expiration with the local Dapr sidecar', () => {
  let broker: Broker
  let subscriberApp: RunningServer
  let orders: Sidecar
  let expiration: RunningServer
  let expirationSidecar: Sidecar
  const received: Array<{ eventId: string; orderId: string }> = []
  const receivedFor = (...ids: string[]) => received.filter((r) => ids.includes(r.orderId))

  beforeAll(async () => {
    broker = createBroker({ delivery: constantRetries(5, 2), reminderRetries: constantRetries(5, 2), logger: quiet })
    // Plays the orders service: subscribed to expiration.completed, recording what arrives.
    const subscriber = new Hono().route('/', createSubscriptionRouter({
      appId: 'orders',
      pubsubName: 'pubsub',
      subscriptions: [subscribe(EXPIRATION_COMPLETED, async ({ orderId }, meta) => void received.push({ eventId: meta.id, orderId }))],
      logger: silentLogger(),
    }))
    subscriberApp = await listen(subscriber, { port: 0 })
    orders = await startSidecar({ appId: 'orders', appUrl: subscriberApp.url, broker })

    const daprPort = await freePort()
    expiration = await startExpiration({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DAPR_HTTP_PORT: String(daprPort) })
    expirationSidecar = await startSidecar({ appId: 'expiration', appUrl: expiration.url, broker, port: daprPort })
  })
  afterAll(async () => {
    await broker?.close()
    for (const server of [expirationSidecar, expiration, orders, subscriberApp]) await server?.close()
  })

  it('when an order is created, then at expiresAt expiration.completed {orderId} reaches the subscriber once', async () => {
    const id = freshId('expires')
    await publish(orders, 'order.created', created(id, soon(300)))

    await eventually(() => expect(receivedFor(id)).toHaveLength(1), { timeoutMs: 3000 })
    await broker.idle()

    expect(receivedFor(id)).toEqual([{ eventId: `expiration.completed/${id}`, orderId: id }])
    expect(await reminderStatus(expirationSidecar, id)).toBe(404)
  })

  it('when the order is cancelled before its due time, then nothing is published for it', async () => {
    const [gone, control] = [freshId('cancelled'), freshId('control')]
    await publish(orders, 'order.created', created(gone, soon(500)))
    await publish(orders, 'order.created', created(control, soon(600)))
    await eventually(async () => expect(await reminderStatus(expirationSidecar, gone)).toBe(200))

    await publish(orders, 'order.cancelled', cancelled(gone))
    await eventually(async () => expect(await reminderStatus(expirationSidecar, gone)).toBe(404))
    // The control order is due after the cancelled one: once it has arrived, the other would have too.
    await eventually(() => expect(receivedFor(control)).toHaveLength(1), { timeoutMs: 3000 })
    await broker.idle()

    expect(receivedFor(gone, control).map((r) => r.orderId)).toEqual([control])
  })

  it('when every event is delivered twice and out of order, then only the orders still waiting expire, once each', async () => {
    const [cancelledTwice, createdTwice, completedFirst, control] = ['cancelled', 'duplicate', 'completed', 'control'].map(freshId)
    const due = soon(400)
    const events = [
      ['order.cancelled', cancelled(cancelledTwice!)],
      ['order.created', created(cancelledTwice!, due)],
      ['order.created', created(createdTwice!, due)],
      ['order.completed', completed(completedFirst!)],
      ['order.created', created(completedFirst!, due)],
      ['order.created', created(createdTwice!, due)],
      ['order.cancelled', cancelled(cancelledTwice!)],
      ['order.created', created(cancelledTwice!, due)],
      ['order.completed', completed(completedFirst!)],
      ['order.created', created(completedFirst!, due)],
      ['order.created', created(control!, soon(600))],
    ] as const
    for (const [topic, data] of events) await publish(orders, topic, data)

    await eventually(() => expect(receivedFor(control!)).toHaveLength(1), { timeoutMs: 3000 })
    await broker.idle()

    const ids = [cancelledTwice!, createdTwice!, completedFirst!, control!]
    expect(receivedFor(...ids).map((r) => r.orderId).sort()).toEqual([createdTwice!, control!].sort())
  })
})

describe('expiration when publishing fails', () => {
  let broker: Broker
  let sidecar: Sidecar
  let app: RunningServer
  const answers: number[] = []

  beforeAll(async () => {
    broker = createBroker({ delivery: constantRetries(5, 2), reminderRetries: constantRetries(5, 2), logger: quiet })
    const daprPort = await freePort()
    const daprUrl = `http://127.0.0.1:${daprPort}`
    const expiration = createApp({
      store: createDaprExpirationStore({ daprUrl, storeName: 'statestore' }),
      reminders: createReminders({ daprUrl }),
      // A pubsub the sidecar does not have: every publish is refused.
      publisher: createDaprPublisher({ daprHost: '127.0.0.1', daprPort, pubsubName: 'unreachable' }),
      logger: silentLogger(),
      pubsubName: 'pubsub',
    })
    // Records how the app answers each reminder firing.
    app = await listen({
      fetch: async (request: Request) => {
        const res = await expiration.fetch(request)
        if (new URL(request.url).pathname.includes('/method/remind/')) answers.push(res.status)
        return res
      },
    }, { port: 0 })
    sidecar = await startSidecar({ appId: 'expiration', appUrl: app.url, broker, port: daprPort })
  })
  afterAll(async () => {
    await broker?.close()
    await sidecar?.close()
    await app?.close()
  })

  it('when the reminder fires and the publish fails, then it is answered non-200 and fired again, and the order stays waiting', async () => {
    const id = freshId('unpublished')
    await publish(sidecar, 'order.created', created(id, soon(50)))

    await eventually(() => expect(answers).toHaveLength(3), { timeoutMs: 3000 })
    await broker.idle()

    expect(answers).toEqual([500, 500, 500])
    const record = await createDaprExpirationStore({ daprUrl: sidecar.url, storeName: 'statestore' }).get(id)
    expect(record?.record).toEqual({ version: 1, status: 'created' })
  })
})
