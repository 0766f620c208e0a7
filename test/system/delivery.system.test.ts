import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { orderCreatedExample } from '@ticketing/shared/contracts'
import { createLogger, listen, type RunningServer } from '@ticketing/shared/platform'
import { createPermissions } from '@ticketing/shared/permissions'
import { openSqlite } from '@ticketing/shared/sqlite'
import { eventually, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../../services/tickets/src/app'
import { newTicket } from '../../services/tickets/src/domain/ticket'
import { createSqliteTicketsStore } from '../../services/tickets/src/storage/tickets.sqlite'
import type { TicketsStore } from '../../services/tickets/src/storage/tickets.store'
import { constantRetries, createBroker, startSidecar, type Broker, type Sidecar } from '../../dev/src/dapr'
import { startKeto } from '../../dev/src/keto'

// Consumers never lose a message: a failing handler is retried; a poison message ends in the
// dead-letter topic and is logged with its id. Shown on the tickets service behind a real sidecar stand-in.
let broker: Broker
let keto: Awaited<ReturnType<typeof startKeto>>
let app: RunningServer
let sidecar: Sidecar
let store: TicketsStore
let failures = 0
const logLines: Array<Record<string, unknown>> = []

beforeAll(async () => {
  broker = createBroker({ delivery: constantRetries(5, 4), logger: { info() {}, warn() {}, error() {} } })
  keto = await startKeto({ readPort: 0, writePort: 0 })
  const memory = createSqliteTicketsStore(openSqlite(':memory:'))
  // A store that is away for the first few calls after `failures` is set, like a database fail-over.
  store = {
    ...memory,
    get: async (id) => {
      if (failures > 0) {
        failures--
        throw new Error('database is failing over')
      }
      return memory.get(id)
    },
  }
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  app = await listen(
    createApp({
      store, permissions: createPermissions({ readUrl: keto.readUrl, writeUrl: keto.writeUrl }), identify: tokenIdentify({}),
      logger: createLogger({ name: 'tickets', destination }), pubsubName: 'pubsub', relay: { kick() {} },
      clock: () => new Date(), newId: () => crypto.randomUUID(),
    }),
    { port: 0 },
  )
  sidecar = await startSidecar({ appId: 'tickets', appUrl: app.url, broker })
  await store.insert(newTicket({ id: 't1', userId: 'seller', title: 'Opera', description: '', price: 100 }, new Date()), [])
})
afterAll(async () => {
  await sidecar.close()
  await app.close()
  await broker.close()
  await keto.close()
})

const publish = (topic: string, data: unknown, id: string) =>
  fetch(`${sidecar.url}/v1.0/publish/pubsub/${topic}?metadata.cloudevent.id=${id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(data),
  })

describe('delivery guarantees', () => {
  it('when the handler fails twice, then the sidecar retries and the third delivery applies the event', async () => {
    failures = 2
    expect((await publish('order.created', { ...orderCreatedExample, id: 'o1', ticket: { id: 't1', price: 100 } }, 'evt-retried')).status).toBe(204)
    await broker.idle()
    await eventually(async () => expect(await store.get('t1')).toMatchObject({ orderId: 'o1', version: 2 }))
    const attempts = logLines.filter((l) => l.eventId === 'evt-retried').map((l) => l.outcome)
    expect(attempts).toEqual(['RETRY', 'RETRY', 'SUCCESS'])
  })

  it('when a message breaks its contract, then it lands in the dead-letter topic and is logged with its id', async () => {
    await publish('order.created', { id: 'o2', ticket: { id: 't1', price: 'free' } }, 'evt-poison')
    await broker.idle()
    const dead = broker.deadLetters().filter((d) => d.event.id === 'evt-poison')
    expect(dead).toEqual([expect.objectContaining({ appId: 'tickets', topic: 'order.created', deadLetterTopic: 'tickets.dead-letter' })])
    expect(logLines).toContainEqual(expect.objectContaining({ eventId: 'evt-poison', topic: 'order.created', outcome: 'DROP', level: 50 }))
    // The dead letter came back to tickets on its own dead-letter topic and was logged whole.
    await eventually(() =>
      expect(logLines).toContainEqual(
        expect.objectContaining<Record<string, unknown>>({ eventId: 'evt-poison', topic: 'order.created', msg: expect.stringMatching(/^dead letter/), deadLetter: expect.objectContaining({ data: { id: 'o2', ticket: { id: 't1', price: 'free' } } }) }),
      ),
    )
    expect(await store.get('t1')).toMatchObject({ orderId: 'o1', version: 2 })
  })
})
