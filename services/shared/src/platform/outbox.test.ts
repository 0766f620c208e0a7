import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger'
import { createOutboxRelay, outboxEvent, type Outbox, type OutboxEvent } from './outbox'
import type { Publisher } from './publisher'
import { withTraceparent } from './trace'

/** An outbox over a map of document key to pending events, so each test sees exactly what the relay did. */
function memoryOutbox(rows: Map<string, { outbox: OutboxEvent[]; unpublishable?: OutboxEvent[] }>): Outbox {
  const take = (key: string, events: OutboxEvent[]) => {
    const row = rows.get(key)
    const ids = new Set(events.map((e) => e.id))
    if (row) row.outbox = row.outbox.filter((e) => !ids.has(e.id))
    return row
  }
  return {
    async pending(limit, after) {
      return [...rows.entries()]
        .filter(([key, row]) => row.outbox.length > 0 && (after === undefined || key > after))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([key, row]) => ({ key, events: structuredClone(row.outbox) }))
    },
    async markSent(key, events) {
      take(key, events)
    },
    async setAside(key, events) {
      const row = take(key, events)
      if (row) row.unpublishable = [...(row.unpublishable ?? []), ...structuredClone(events)]
    },
  }
}

type Rows = Map<string, { outbox: OutboxEvent[]; unpublishable?: OutboxEvent[] }>
const event = (id: string): OutboxEvent => ({ id, topic: 'expiration.completed', data: { orderId: id } })
const rowsOf = (entries: Record<string, OutboxEvent[]>): Rows => new Map(Object.entries(entries).map(([key, outbox]) => [key, { outbox }]))
const pendingIds = (rows: Rows) => [...rows.values()].flatMap((row) => row.outbox.map((e) => e.id))

/** A publisher that records what it sent and refuses what `refuse` names. */
function recordingPublisher(refuse: (id: string) => boolean = () => false) {
  const sent: Array<{ topic: string; data: unknown; id?: string; traceparent?: string }> = []
  const attempts: string[] = []
  const publisher: Publisher = {
    async publish(topic, data, options) {
      attempts.push(options?.id ?? '')
      if (refuse(options?.id ?? '')) throw new Error('sidecar away')
      sent.push({ topic, data, ...options })
    },
  }
  return { publisher, sent, attempts }
}

function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = []
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string }), done()) })
  return { logger: createLogger({ name: 'test', destination }), errors: () => lines.filter((l) => l.level === 50) }
}

const relayOf = (rows: Rows, publisher: Publisher, logger = recordingLogger().logger) =>
  createOutboxRelay({ outbox: memoryOutbox(rows), publisher, logger, intervalMs: 1000 })

describe('outbox relay', () => {
  it('when events are pending, then they are published in order with their ids and traces, and marked sent', async () => {
    const traced = { ...event('2'), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }
    const rows = rowsOf({ a: [event('1'), traced], b: [event('3')] })
    const { publisher, sent } = recordingPublisher()

    await relayOf(rows, publisher).flush()

    // In order within a document; documents go out side by side.
    expect(sent.filter((s) => s.id !== '3')).toEqual([
      { topic: 'expiration.completed', data: { orderId: '1' }, id: '1' },
      { topic: 'expiration.completed', data: { orderId: '2' }, id: '2', traceparent: traced.traceparent },
    ])
    expect(sent.filter((s) => s.id === '3')).toEqual([{ topic: 'expiration.completed', data: { orderId: '3' }, id: '3' }])
    expect(pendingIds(rows)).toEqual([])
  })

  it('when publishing fails, then the events stay pending and are published once the back-off has passed', async () => {
    const rows = rowsOf({ a: [event('1')] })
    let up = false
    const { publisher, sent } = recordingPublisher(() => !up)
    const relay = createOutboxRelay({ outbox: memoryOutbox(rows), publisher, logger: recordingLogger().logger, intervalMs: 10 })

    await relay.flush()
    expect(pendingIds(rows)).toEqual(['1'])
    up = true
    await new Promise((resolve) => setTimeout(resolve, 30))
    await relay.flush()

    expect(pendingIds(rows)).toEqual([])
    expect(sent.map((s) => s.id)).toEqual(['1'])
  })

  it('when a document fails, then it is not tried again on every round until its back-off has passed', async () => {
    const rows = rowsOf({ a: [event('down')] })
    const { publisher, attempts } = recordingPublisher(() => true)
    const relay = relayOf(rows, publisher)

    for (let round = 0; round < 5; round++) await relay.flush()

    expect(attempts).toEqual(['down'])
  })

  it('when one document cannot be published, then the others still are', async () => {
    const rows = rowsOf({ a: [event('bad')], b: [event('2')] })
    const { publisher, sent } = recordingPublisher((id) => id === 'bad')

    await relayOf(rows, publisher).flush()

    expect(sent.map((s) => s.id)).toEqual(['2'])
    expect(pendingIds(rows)).toEqual(['bad'])
  })

  it('when more documents are stuck than one page holds, then a document behind them is still published in the same round', async () => {
    const stuck = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`a${String(i).padStart(3, '0')}`, [event(`stuck-${i}`)]]))
    const rows = rowsOf({ ...stuck, z: [event('behind')] })
    const { publisher, sent } = recordingPublisher((id) => id.startsWith('stuck'))

    await relayOf(rows, publisher).flush()

    expect(sent.map((s) => s.id)).toEqual(['behind'])
    expect(pendingIds(rows)).toHaveLength(250)
  })

  it('when many documents are pending, then they are published side by side, each document still in its own order', async () => {
    const rows = rowsOf(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`d${String(i).padStart(2, '0')}`, [event(`d${i}-1`), event(`d${i}-2`)]])))
    let inFlight = 0
    let most = 0
    const order: string[] = []
    const publisher: Publisher = {
      async publish(_topic, _data, options) {
        most = Math.max(most, ++inFlight)
        await new Promise((done) => setTimeout(done, 5))
        order.push(options?.id ?? '')
        inFlight--
      },
    }

    await relayOf(rows, publisher).flush()

    expect(most).toBe(16)
    expect(order).toHaveLength(80)
    for (let i = 0; i < 40; i++) expect(order.indexOf(`d${i}-1`)).toBeLessThan(order.indexOf(`d${i}-2`))
    expect(pendingIds(rows)).toEqual([])
  })

  it('when an event breaks its contract, then it is logged at error once, set aside on its document, and the events beside it go out', async () => {
    const broken: OutboxEvent = { id: 'broken', topic: 'expiration.completed', data: { orderId: 42 } }
    const rows = rowsOf({ a: [broken, event('fine')], b: [event('next')] })
    const { publisher, attempts } = recordingPublisher()
    const { logger, errors } = recordingLogger()
    const relay = relayOf(rows, publisher, logger)

    for (let round = 0; round < 3; round++) await relay.flush()

    expect(attempts.toSorted()).toEqual(['fine', 'next'])
    expect(pendingIds(rows)).toEqual([])
    expect(rows.get('a')?.unpublishable).toEqual([broken])
    expect(errors()).toHaveLength(1)
    expect(errors()[0]?.msg).toMatch(/break their contract/)
  })

  it('when the relay stops, then it publishes what is pending in a last round, and a kick after that publishes nothing', async () => {
    const rows = rowsOf({ a: [event('1')] })
    const { publisher, sent } = recordingPublisher()
    const relay = relayOf(rows, publisher)

    await relay.stop()
    rows.set('b', { outbox: [event('late')] })
    relay.kick()
    await new Promise((resolve) => setTimeout(resolve, 10))

    expect(sent.map((s) => s.id)).toEqual(['1'])
    expect(pendingIds(rows)).toEqual(['late'])
  })
})

describe('outboxEvent', () => {
  it('when written while handling a traced request, then the event keeps its traceparent; outside any trace it has none', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

    const inside = withTraceparent(traceparent, () => outboxEvent('expiration.completed', { orderId: 'o1' }))
    const outside = outboxEvent('expiration.completed', { orderId: 'o1' })

    expect(inside).toEqual({ id: 'expiration.completed/o1', topic: 'expiration.completed', data: { orderId: 'o1' }, traceparent })
    expect(outside).toEqual({ id: 'expiration.completed/o1', topic: 'expiration.completed', data: { orderId: 'o1' } })
  })
})
