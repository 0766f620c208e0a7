import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, quickRetries, type Harness } from '../src/dapr/testing/harness'
import type { RecordedCall } from '../src/dapr/testing/recording-app'

let harness: Harness
afterEach(async () => harness?.close())

// vitest's asymmetric matchers are typed any; held as unknown they stay out of the typed code.
const anIsoTime: unknown = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
const aTraceparent: unknown = expect.stringMatching(/^00-/)

const sub = (topic: string, route: string, extra: Record<string, unknown> = {}) => ({
  pubsubname: 'pubsub',
  topic,
  routes: { default: route },
  ...extra,
})

async function publish(sidecarUrl: string, topic: string, body: string, headers: Record<string, string> = {}, query = '') {
  return fetch(`${sidecarUrl}/v1.0/publish/pubsub/${topic}${query}`, { method: 'POST', headers, body })
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } })

describe('local Dapr sidecar: publishing', () => {
  it('when JSON is published, then the subscriber gets a full CloudEvent envelope with the parsed data', async () => {
    harness = createHarness()
    const orders = await harness.app({ subscriptions: [sub('ticket.created', '/events/ticket-created')] })
    await harness.sidecar('orders', orders)
    const tickets = await harness.sidecar('tickets', await harness.app())
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

    const response = await publish(tickets.url, 'ticket.created', '{"id":"t1","price":20}', {
      'content-type': 'application/json',
      traceparent,
    }, '?metadata.cloudevent.id=ticket.created:t1:0')
    await harness.broker.idle()

    expect(response.status).toBe(204)
    const [delivery] = orders.callsTo('/events/ticket-created')
    expect(delivery?.method).toBe('POST')
    expect(delivery?.headers['content-type']).toBe('application/cloudevents+json')
    expect(delivery?.headers.traceparent).toBe(traceparent)
    expect(delivery?.body).toEqual({
      id: 'ticket.created:t1:0',
      source: 'tickets',
      type: 'com.dapr.event.sent',
      specversion: '1.0',
      datacontenttype: 'application/json',
      data: { id: 't1', price: 20 },
      topic: 'ticket.created',
      pubsubname: 'pubsub',
      traceparent,
      traceid: traceparent,
      tracestate: '',
      time: anIsoTime,
    })
  })

  it('when no content type, id or traceparent is given, then data is text, the id a UUID and a traceparent is made', async () => {
    harness = createHarness()
    const orders = await harness.app({ subscriptions: [sub('ticket.created', '/in')] })
    await harness.sidecar('orders', orders)
    const tickets = await harness.sidecar('tickets', await harness.app())

    await fetch(`${tickets.url}/v1.0/publish/pubsub/ticket.created`, { method: 'POST', body: new Blob(['{"a":1}']) })
    await harness.broker.idle()

    const body = orders.callsTo('/in')[0]?.body as Record<string, unknown>
    expect(body.data).toBe('{"a":1}')
    expect(body.datacontenttype).toBe('text/plain')
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(body.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
  })

  it('when the body is already a CloudEvent, then it is passed through and completed', async () => {
    harness = createHarness()
    const orders = await harness.app({ subscriptions: [sub('ticket.created', '/in')] })
    await harness.sidecar('orders', orders)
    const tickets = await harness.sidecar('tickets', await harness.app())
    const event = { id: 'ce-1', source: 'legacy', type: 'TicketCreated', specversion: '1.0', data: { id: 't9' } }

    await publish(tickets.url, 'ticket.created', JSON.stringify(event), { 'content-type': 'application/cloudevents+json' })
    await harness.broker.idle()

    expect(orders.callsTo('/in')[0]?.body).toMatchObject({
      ...event,
      datacontenttype: 'application/json',
      topic: 'ticket.created',
      pubsubname: 'pubsub',
      traceparent: aTraceparent,
    })
  })

  it('when the pubsub name is unknown, then it answers 404 ERR_PUBSUB_NOT_FOUND', async () => {
    harness = createHarness()
    const tickets = await harness.sidecar('tickets', await harness.app())
    const response = await fetch(`${tickets.url}/v1.0/publish/kafka/ticket.created`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ errorCode: 'ERR_PUBSUB_NOT_FOUND', message: 'pubsub kafka not found' })
  })
})

describe('local Dapr sidecar: delivery', () => {
  it('when several app-ids subscribe, then each gets the message once; replicas of one app-id share it', async () => {
    harness = createHarness()
    const orders = await harness.app({ subscriptions: [sub('order.created', '/orders-in')] })
    const paymentsA = await harness.app({ subscriptions: [sub('order.created', '/payments-in')] })
    const paymentsB = await harness.app({ subscriptions: [sub('order.created', '/payments-in')] })
    await harness.sidecar('orders', orders)
    await harness.sidecar('payments', paymentsA)
    await harness.sidecar('payments', paymentsB)
    const publisher = await harness.sidecar('tickets', await harness.app())

    await publish(publisher.url, 'order.created', '{"n":1}', { 'content-type': 'application/json' })
    await harness.broker.idle()

    expect(orders.callsTo('/orders-in')).toHaveLength(1)
    expect(paymentsA.callsTo('/payments-in').length + paymentsB.callsTo('/payments-in').length).toBe(1)
  })

  it('when a rule has the literal match "", then it wins over the default route; the `route` form works too', async () => {
    harness = createHarness()
    const app = await harness.app({
      subscriptions: [
        { pubsubname: 'pubsub', topic: 'a', routes: { rules: [{ match: '', path: '/always' }], default: '/default' } },
        { pubsubname: 'pubsub', topic: 'b', route: '/legacy' },
      ],
    })
    const sidecar = await harness.sidecar('orders', app)

    await publish(sidecar.url, 'a', 'x')
    await publish(sidecar.url, 'b', 'y')
    await harness.broker.idle()

    expect(app.calls.map((call) => [call.path, (call.body as { data: string }).data])).toEqual([
      ['/always', 'x'],
      ['/legacy', 'y'],
    ])
  })

  it('when the app answers RETRY then SUCCESS, then the message is redelivered with the same id', async () => {
    harness = createHarness()
    const app = await harness.app({
      subscriptions: [sub('t', '/in')],
      answer: (call) => json({ status: call.attempt === 1 ? 'RETRY' : 'SUCCESS' }),
    })
    const sidecar = await harness.sidecar('orders', app)

    await publish(sidecar.url, 't', 'x', {}, '?metadata.cloudevent.id=e1')
    await harness.broker.idle()

    expect(app.callsTo('/in').map((call) => (call.body as { id: string }).id)).toEqual(['e1', 'e1'])
    expect(harness.broker.deadLetters()).toEqual([])
  })

  it('when the app keeps failing with 500, then it stops after maxAttempts and dead-letters the message', async () => {
    harness = createHarness({ delivery: quickRetries(3) })
    const app = await harness.app({
      subscriptions: [
        sub('order.created', '/in', { deadLetterTopic: 'order.created.dead-letter' }),
        sub('order.created.dead-letter', '/dead'),
      ],
      answer: (call) => (call.path === '/in' ? new Response('boom', { status: 500 }) : json({ status: 'SUCCESS' })),
    })
    const sidecar = await harness.sidecar('payments', app)

    await publish(sidecar.url, 'order.created', '{"orderId":"o1"}', { 'content-type': 'application/json' }, '?metadata.cloudevent.id=e2')
    await harness.broker.idle()

    expect(app.callsTo('/in')).toHaveLength(3)
    const [dead] = app.callsTo('/dead')
    expect(dead?.body).toMatchObject({ id: 'e2', data: { orderId: 'o1' } })
    const eventE2: unknown = expect.objectContaining({ id: 'e2' })
    expect(harness.broker.deadLetters()).toEqual([
      {
        topic: 'order.created',
        deadLetterTopic: 'order.created.dead-letter',
        event: eventE2,
        appId: 'payments',
        reason: 'retries exhausted after 3 attempts: HTTP 500 from the app',
      },
    ])
  })

  it('when retries run out and there is no dead-letter topic, then the drop is logged with the event id', async () => {
    harness = createHarness({ delivery: quickRetries(2) })
    const app = await harness.app({ subscriptions: [sub('t', '/in')], answer: () => new Response('', { status: 503 }) })
    const sidecar = await harness.sidecar('orders', app)

    await publish(sidecar.url, 't', 'x', {}, '?metadata.cloudevent.id=e3')
    await harness.broker.idle()

    expect(app.callsTo('/in')).toHaveLength(2)
    const errors = harness.logger.entries.filter((entry) => entry.level === 'error')
    expect(errors).toMatchObject([{ obj: { eventId: 'e3', topic: 't' }, msg: 'message dropped' }])
  })

  it('when the app answers DROP, then it is not retried and goes to the dead-letter topic', async () => {
    harness = createHarness()
    const app = await harness.app({
      subscriptions: [sub('t', '/in', { deadLetterTopic: 't.dead' }), sub('t.dead', '/dead')],
      answer: (call) => json({ status: call.path === '/in' ? 'DROP' : 'SUCCESS' }),
    })
    const sidecar = await harness.sidecar('orders', app)

    await publish(sidecar.url, 't', 'x')
    await harness.broker.idle()

    expect(app.calls.map((call: RecordedCall) => call.path)).toEqual(['/in', '/dead'])
    expect(harness.broker.deadLetters().map((d) => d.reason)).toEqual(['the app answered DROP'])
  })

  it('when the app answers DROP without a dead-letter topic, then the message is dropped with a warning', async () => {
    harness = createHarness()
    const app = await harness.app({ subscriptions: [sub('t', '/in')], answer: () => json({ status: 'DROP' }) })
    const sidecar = await harness.sidecar('orders', app)

    await publish(sidecar.url, 't', 'x', {}, '?metadata.cloudevent.id=e4')
    await harness.broker.idle()

    expect(app.callsTo('/in')).toHaveLength(1)
    const warning = harness.logger.entries.find((entry) => entry.msg === 'message dropped')
    expect(warning).toMatchObject({ level: 'warn', obj: { eventId: 'e4', reason: 'the app answered DROP' } })
  })

  it('when the route answers 404, then the message is dropped at once and logged as an error', async () => {
    harness = createHarness()
    const app = await harness.app({ subscriptions: [sub('t', '/in')], answer: () => new Response('', { status: 404 }) })
    const sidecar = await harness.sidecar('orders', app)

    await publish(sidecar.url, 't', 'x', {}, '?metadata.cloudevent.id=e5')
    await harness.broker.idle()

    expect(app.callsTo('/in')).toHaveLength(1)
    const error = harness.logger.entries.find((entry) => entry.msg === 'message dropped')
    expect(error).toMatchObject({ level: 'error', obj: { eventId: 'e5', reason: 'HTTP 404 from the app' } })
  })

  it('when the subscriber cannot be reached, then it is retried and finally dead-lettered', async () => {
    harness = createHarness({ delivery: quickRetries(2) })
    const gone = await harness.app({ subscriptions: [sub('t', '/in', { deadLetterTopic: 't.dead' })] })
    await harness.sidecar('payments', gone)
    const publisher = await harness.sidecar('orders', await harness.app())
    await gone.close()

    await publish(publisher.url, 't', 'x')
    await harness.broker.idle()

    const [letter] = harness.broker.deadLetters()
    expect(letter?.appId).toBe('payments')
    expect(letter?.reason).toMatch(/^retries exhausted after 2 attempts: the app could not be reached/)
  })

  it('when one subscriber fails, then the other subscribers still get the message once', async () => {
    harness = createHarness({ delivery: quickRetries(2) })
    const failing = await harness.app({ subscriptions: [sub('t', '/in')], answer: () => new Response('', { status: 500 }) })
    const healthy = await harness.app({ subscriptions: [sub('t', '/in')] })
    await harness.sidecar('payments', failing)
    const sidecar = await harness.sidecar('orders', healthy)

    await publish(sidecar.url, 't', 'x')
    await harness.broker.idle()

    expect(failing.callsTo('/in')).toHaveLength(2)
    expect(healthy.callsTo('/in')).toHaveLength(1)
  })
})
