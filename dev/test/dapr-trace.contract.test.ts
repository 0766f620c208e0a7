import { afterEach, describe, expect, it } from 'vitest'
import { ticketCreatedExample } from '@ticketing/shared/contracts'
import { createDaprPublisher } from '@ticketing/shared/publisher'
import { createHarness, type Harness } from '../src/dapr/testing/harness'

// Dapr's `metadata.cloudevent.traceparent` override: how a publisher continues the trace that caused an
// event it publishes later (from an outbox), instead of the span of the publish call.
let harness: Harness
afterEach(async () => harness?.close())

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
const sub = { pubsubname: 'pubsub', topic: 'ticket.created', routes: { default: '/events/ticket.created' } }

async function twoApps() {
  harness = createHarness()
  const orders = await harness.app({ subscriptions: [sub] })
  await harness.sidecar('orders', orders)
  const tickets = await harness.sidecar('tickets', await harness.app())
  return { orders, tickets }
}

describe('local Dapr sidecar: trace context on publish', () => {
  it('when the publisher passes a traceparent, then the envelope and the delivery carry exactly it', async () => {
    const { orders, tickets } = await twoApps()
    const publisher = createDaprPublisher({ daprHost: '127.0.0.1', daprPort: Number(new URL(tickets.url).port), pubsubName: 'pubsub' })

    await publisher.publish('ticket.created', ticketCreatedExample, { id: 'evt-1', traceparent })
    await harness.broker.idle()

    const [delivery] = orders.callsTo('/events/ticket.created')
    expect(delivery?.body).toMatchObject({ id: 'evt-1', traceparent, traceid: traceparent, data: ticketCreatedExample })
    expect(delivery?.headers.traceparent).toBe(traceparent)
  })

  it("when a traceparent override and a traceparent header both come, then the override wins; a CloudEvent body gets the caller's span, as Dapr gives it", async () => {
    const { orders, tickets } = await twoApps()
    const header = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const own = '00-11111111111111111111111111111111-2222222222222222-01'
    const override = `?metadata.cloudevent.traceparent=${traceparent}`

    await fetch(`${tickets.url}/v1.0/publish/pubsub/ticket.created${override}`, {
      method: 'POST', headers: { 'content-type': 'application/json', traceparent: header }, body: '{"id":"t1"}',
    })
    await fetch(`${tickets.url}/v1.0/publish/pubsub/ticket.created${override}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', traceparent: header },
      body: JSON.stringify({ id: 'ce-1', source: 'tickets', type: 'com.dapr.event.sent', specversion: '1.0', data: { id: 't2' }, traceparent: own }),
    })
    await harness.broker.idle()

    const bodies = orders.callsTo('/events/ticket.created').map((call) => call.body as { traceparent: string; data: unknown })
    expect(bodies.map((b) => [b.data, b.traceparent])).toEqual([
      [{ id: 't1' }, traceparent],
      [{ id: 't2' }, header],
    ])
  })
})
