import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '@ticketing/shared/testing'
import { CommunicationProtocolEnum, DaprClient } from '@dapr/dapr'
import { AppNotReadyError, startSidecar } from '../src/dapr'
import { createHarness, type Harness } from '../src/dapr/testing/harness'
import { startRecordingApp, type RecordingApp } from '../src/dapr/testing/recording-app'
import { freePort } from '../src/stack/free-port'

let harness: Harness
afterEach(async () => harness?.close())

/** The parts of daprd's metadata answer the tests read one by one. */
type Metadata = {
  subscriptions: { topic: string }[]
  actorRuntime: { activeActors: unknown[] }
  appConnectionProperties: { health: { healthProbeInterval: string } }
}
const metadataOf = async (sidecarUrl: string) => (await (await fetch(`${sidecarUrl}/v1.0/metadata`)).json()) as Metadata

const subscriptions = [
  { pubsubname: 'pubsub', topic: 'ticket.created', route: '/events/ticket-created' },
  {
    pubsubname: 'pubsub',
    topic: 'order.created',
    routes: { rules: [{ match: 'event.type == "x"', path: '/events/x' }], default: '/events/order-created' },
    deadLetterTopic: 'order.created.dead-letter',
    metadata: { queueType: 'classic' },
  },
]

describe('local Dapr sidecar: start-up and discovery', () => {
  it('when the app comes up after the sidecar, then startSidecar resolves once discovery is done', async () => {
    harness = createHarness()
    const port = await freePort()
    let onListening!: (info: { url: string }) => void
    const listening = new Promise<{ url: string }>((resolve) => (onListening = resolve))
    const starting = startSidecar({
      appId: 'tickets',
      appUrl: `http://127.0.0.1:${port}`,
      broker: harness.broker,
      appPollIntervalMs: 10,
      onListening,
    })
    const { url } = await listening
    const beforeReady = await fetch(`${url}/v1.0/healthz`)
    const outbound = await fetch(`${url}/v1.0/healthz/outbound`)
    const app: RecordingApp = await startRecordingApp({ port, subscriptions })
    const sidecar = await starting
    try {
      expect(beforeReady.status).toBe(500)
      expect(outbound.status).toBe(204)
      const metadata = await metadataOf(sidecar.url)
      expect(metadata.subscriptions.map((s) => s.topic)).toEqual(['ticket.created', 'order.created'])
    } finally {
      await sidecar.close()
      await app.close()
    }
  })

  it('when the app never answers, then startSidecar fails with a clear error after the timeout', async () => {
    harness = createHarness()
    const port = await freePort()
    const starting = startSidecar({
      appId: 'ghost',
      appUrl: `http://127.0.0.1:${port}`,
      broker: harness.broker,
      appStartTimeoutMs: 100,
      appPollIntervalMs: 10,
    })
    await expect(starting).rejects.toBeInstanceOf(AppNotReadyError)
    await expect(starting).rejects.toThrow(`http://127.0.0.1:${port} did not accept a connection within 100 ms`)
  })

  it('when the app has neither /dapr/subscribe nor /dapr/config, then it has no subscriptions and no actors', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('auth', await harness.app())
    const metadata = await metadataOf(sidecar.url)
    expect(metadata.subscriptions).toEqual([])
    expect(metadata.actorRuntime.activeActors).toEqual([])
  })

  it('when the sidecar is ready, then both health endpoints answer 204', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('auth', await harness.app())
    const health = await fetch(`${sidecar.url}/v1.0/healthz`)
    const outbound = await fetch(`${sidecar.url}/v1.0/healthz/outbound`)
    expect([health.status, outbound.status]).toEqual([204, 204])
  })

  it('when asked for metadata, then it answers with daprd field names, components, subscriptions and actors', async () => {
    harness = createHarness()
    const app = await harness.app({ subscriptions, config: { entities: ['OrderExpiration'], actorIdleTimeout: '1h' } })
    const sidecar = await harness.sidecar('expiration', app)
    const metadata = await metadataOf(sidecar.url)
    const aVersion: unknown = expect.stringMatching(/^1\.\d+\.\d+$/)
    expect(metadata).toMatchObject({
      id: 'expiration',
      runtimeVersion: aVersion,
      enabledFeatures: [],
      actorRuntime: { runtimeStatus: 'RUNNING', activeActors: [{ type: 'OrderExpiration', count: 0 }], hostReady: true },
      components: [
        { name: 'pubsub', type: 'pubsub.in-memory', version: 'v1' },
        { name: 'statestore', type: 'state.in-memory', version: 'v1' },
      ],
      appConnectionProperties: { port: app.port, protocol: 'http', channelAddress: '127.0.0.1' },
    })
    expect(metadata.appConnectionProperties.health.healthProbeInterval).toBe('5s')
    expect(metadata.subscriptions).toEqual([
      {
        pubsubname: 'pubsub',
        topic: 'ticket.created',
        rules: [{ path: '/events/ticket-created' }],
        deadLetterTopic: '',
        type: 'PROGRAMMATIC',
      },
      {
        pubsubname: 'pubsub',
        topic: 'order.created',
        metadata: { queueType: 'classic' },
        rules: [{ match: 'event.type == "x"', path: '/events/x' }, { path: '/events/order-created' }],
        deadLetterTopic: 'order.created.dead-letter',
        type: 'PROGRAMMATIC',
      },
    ])
  })

  it('when a route is not part of the Dapr API, then it answers 404 with a Dapr error body', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('auth', await harness.app())
    const response = await fetch(`${sidecar.url}/v1.0/invoke/nowhere`, { method: 'POST' })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      errorCode: 'ERR_NOT_FOUND',
      message: 'POST /v1.0/invoke/nowhere is not a Dapr API route',
    })
  })

  it('when a service publishes with the official DaprClient, then the subscriber receives the JSON data', async () => {
    harness = createHarness()
    const subscriber = await harness.app({ subscriptions })
    await harness.sidecar('orders', subscriber)
    const publisher = await harness.sidecar('tickets', await harness.app())
    const client = new DaprClient({
      daprHost: '127.0.0.1',
      daprPort: String(publisher.port),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
    })
    const ticket = { id: 't1', title: 'Concert', price: 20, version: 0 }
    const result = await client.pubsub.publish('pubsub', 'ticket.created', ticket, {
      metadata: { 'cloudevent.id': 'ticket.created:t1:0' },
    })
    await harness.broker.idle()
    expect(result).toEqual({})
    const [delivery] = subscriber.callsTo('/events/ticket-created')
    expect(delivery?.body).toMatchObject({
      id: 'ticket.created:t1:0',
      source: 'tickets',
      data: ticket,
      datacontenttype: 'application/json',
    })
  })
})

describe('local Dapr sidecar: app health checks', () => {
  it('when the app fails its health probe 3 times in a row, then its events wait; once a probe passes, they are delivered', async () => {
    harness = createHarness()
    let healthy = true
    const app = await harness.app({
      subscriptions: [{ pubsubname: 'pubsub', topic: 'ticket.created', route: '/on' }],
      answer: (call) => (call.path === '/healthz' ? new Response(null, { status: healthy ? 200 : 503 }) : Response.json({ status: 'SUCCESS' })),
    })
    const sidecar = await harness.sidecar('tickets', app, { appHealthCheck: { path: '/healthz', intervalMs: 20 } })
    const publish = (id: string) =>
      fetch(`${sidecar.url}/v1.0/publish/pubsub/ticket.created?metadata.cloudevent.id=${id}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
      })
    const delivered = () => app.callsTo('/on').map((call) => (call.body as { id: string }).id)

    healthy = false
    await eventually(() => expect(app.callsTo('/healthz').filter((call) => call.attempt >= 3).length).toBeGreaterThan(0))
    await new Promise((resolve) => setTimeout(resolve, 40))
    await publish('while-unhealthy')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(delivered()).toEqual([])

    healthy = true
    await eventually(() => expect(delivered()).toEqual(['while-unhealthy']))
  })
})
