import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, createOutboxRelay, listen, type Logger, type OutboxRelay, type RunningServer } from '@ticketing/shared/platform'
import { createPermissions } from '@ticketing/shared/permissions'
import { createDaprPublisher } from '@ticketing/shared/publisher'
import { openSqlite } from '@ticketing/shared/sqlite'
import { eventually, tokenIdentify } from '@ticketing/shared/testing'
import { createApp as createOrdersApp } from '../../services/orders/src/app'
import { createSqliteOrdersStore } from '../../services/orders/src/storage/orders.sqlite'
import { createSqliteTicketReplicasStore } from '../../services/orders/src/storage/ticket-replicas.sqlite'
import { createApp as createTicketsApp } from '../../services/tickets/src/app'
import { createSqliteTicketsStore } from '../../services/tickets/src/storage/tickets.sqlite'
import { createBroker, startSidecar, type Broker, type Sidecar } from '../../dev/src/dapr'
import { startKeto } from '../../dev/src/keto'

// One trace from a request to the consumers of the events it caused: the outbox keeps the request's
// traceparent with each event, the relay publishes with it, and the consumer logs the same trace id.
type LogLine = { msg: string; traceId?: string; topic?: string; eventId?: string; path?: string }
const logs = { tickets: [] as LogLine[], orders: [] as LogLine[] }
const loggerOf = (name: keyof typeof logs): Logger =>
  createLogger({ name, destination: new Writable({ write: (chunk: Buffer, _e, done) => (logs[name].push(JSON.parse(chunk.toString()) as LogLine), done()) }) })

let broker: Broker
let keto: Awaited<ReturnType<typeof startKeto>>
const closers: Array<() => Promise<void>> = []
let ticketsUrl: string

const relays: OutboxRelay[] = []
/** Publishes what the outboxes hold from outside any request, as the relay's timer does (and does after a restart). */
const flushOutboxes = () => Promise.all(relays.map((relay) => relay.flush()))

/** Serves an app behind its own sidecar stand-in, with an outbox relay publishing through that sidecar. */
async function serve(appId: string, build: () => Parameters<typeof listen>[0], outbox: Parameters<typeof createOutboxRelay>[0]['outbox'], logger: Logger) {
  const app: RunningServer = await listen(build(), { port: 0 })
  const sidecar: Sidecar = await startSidecar({ appId, appUrl: app.url, broker })
  const publisher = createDaprPublisher({ daprHost: '127.0.0.1', daprPort: Number(new URL(sidecar.url).port), pubsubName: 'pubsub' })
  relays.push(createOutboxRelay({ outbox, publisher, logger }))
  closers.push(async () => {
    await app.close()
    await sidecar.close()
  })
  return app
}

beforeAll(async () => {
  broker = createBroker({ logger: { info() {}, warn() {}, error() {} } })
  keto = await startKeto({ readPort: 0, writePort: 0 })
  const permissions = createPermissions({ readUrl: keto.readUrl, writeUrl: keto.writeUrl })
  const identify = tokenIdentify({ 'token-sam': { id: 'sam', email: 'sam@example.com' } })
  // No kick from inside the request: the test flushes the outboxes itself, outside the request's trace.
  const noKick = { kick() {} }
  const common = { permissions, identify, pubsubName: 'pubsub', clock: () => new Date(), newId: () => crypto.randomUUID() }

  const ticketsStore = createSqliteTicketsStore(openSqlite(':memory:'))
  const tickets = await serve('tickets', () => createTicketsApp({ ...common, store: ticketsStore, relay: noKick, logger: loggerOf('tickets') }), ticketsStore, loggerOf('tickets'))
  ticketsUrl = tickets.url
  const orders = createSqliteOrdersStore(openSqlite(':memory:'))
  await serve(
    'orders',
    () => createOrdersApp({ ...common, orders, tickets: createSqliteTicketReplicasStore(openSqlite(':memory:')), relay: noKick, logger: loggerOf('orders'), expirationWindowSeconds: 900 }),
    orders,
    loggerOf('orders'),
  )
})
afterAll(async () => {
  for (const close of closers.reverse()) await close()
  await broker.close()
  await keto.close()
})

describe('tracing across events', () => {
  it('when a ticket is listed with a traceparent, then the orders service logs handling ticket.created under the same trace id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'

    const res = await fetch(`${ticketsUrl}/api/tickets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Session-Token': 'token-sam', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ title: 'Traced gig', description: 'Row 1', price: 5000 }),
    })
    const { id } = (await res.json()) as { id: string }
    await flushOutboxes()

    expect(res.status).toBe(201)
    const handled = await eventually(() => {
      const line = logs.orders.find((l) => l.msg === 'event handled' && l.eventId === `ticket.created/${id}/1`)
      if (!line) throw new Error('orders has not handled ticket.created yet')
      return line
    })
    expect(handled).toMatchObject({ topic: 'ticket.created', traceId })
    expect(logs.tickets.find((l) => l.msg === 'request' && l.path === '/api/tickets')?.traceId).toBe(traceId)
  })

  it('when a request comes without a traceparent, then its events still share one new trace with it', async () => {
    const res = await fetch(`${ticketsUrl}/api/tickets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Session-Token': 'token-sam', 'x-request-id': 'untraced-1' },
      body: JSON.stringify({ title: 'Untraced gig', description: 'Row 2', price: 5000 }),
    })
    const { id } = (await res.json()) as { id: string }
    await flushOutboxes()
    const requestTrace = logs.tickets.find((l) => l.msg === 'request' && (l as { requestId?: string }).requestId === 'untraced-1')?.traceId

    const handled = await eventually(() => {
      const line = logs.orders.find((l) => l.msg === 'event handled' && l.eventId === `ticket.created/${id}/1`)
      if (!line) throw new Error('orders has not handled ticket.created yet')
      return line
    })
    expect(requestTrace).toMatch(/^[\da-f]{32}$/)
    expect(handled.traceId).toBe(requestTrace)
  })
})
