import { describe, expect, it } from 'vitest'
import { silentLogger } from '../testing'
import { createOutboxRelay, type Outbox, type OutboxEvent } from './outbox'
import type { Publisher } from './publisher'

function memoryOutbox(rows: Record<string, OutboxEvent[]>): Outbox {
  return {
    async pending(limit) {
      return Object.entries(rows).filter(([, events]) => events.length).slice(0, limit).map(([key, events]) => ({ key, events: [...events] }))
    },
    async markSent(key, events) {
      rows[key] = (rows[key] ?? []).filter((e) => !events.some((s) => s.id === e.id))
    },
  }
}

const event = (id: string): OutboxEvent => ({ id, topic: 'expiration.completed', data: { orderId: id } })

describe('outbox relay', () => {
  it('when events are pending, then they are published in order with their ids and marked sent', async () => {
    const rows = { a: [event('1'), event('2')], b: [event('3')] }
    const sent: unknown[] = []
    const publisher: Publisher = { publish: async (topic, data, options) => void sent.push([topic, data, options?.id]) }
    await createOutboxRelay({ outbox: memoryOutbox(rows), publisher, logger: silentLogger() }).flush()
    expect(sent).toEqual([
      ['expiration.completed', { orderId: '1' }, '1'],
      ['expiration.completed', { orderId: '2' }, '2'],
      ['expiration.completed', { orderId: '3' }, '3'],
    ])
    expect(rows).toEqual({ a: [], b: [] })
  })

  it('when publishing fails, then the events stay pending for the next round', async () => {
    const rows = { a: [event('1')] }
    let up = false
    const publisher: Publisher = {
      publish: async () => {
        if (!up) throw new Error('sidecar away')
      },
    }
    const relay = createOutboxRelay({ outbox: memoryOutbox(rows), publisher, logger: silentLogger() })
    await relay.flush()
    expect(rows.a).toHaveLength(1)
    up = true
    await relay.flush()
    expect(rows.a).toHaveLength(0)
  })

  it('when one document cannot be published, then the others still are', async () => {
    const rows = { a: [event('bad')], b: [event('2')] }
    const sent: unknown[] = []
    const publisher: Publisher = {
      publish: async (_topic, data) => {
        if ((data as { orderId: string }).orderId === 'bad') throw new Error('rejected')
        sent.push(data)
      },
    }
    await createOutboxRelay({ outbox: memoryOutbox(rows), publisher, logger: silentLogger() }).flush()
    expect(sent).toEqual([{ orderId: '2' }])
    expect(rows).toEqual({ a: [event('bad')], b: [] })
  })

  it('when the relay has stopped, then a late kick publishes nothing', async () => {
    const rows = { a: [event('1')] }
    const sent: unknown[] = []
    const relay = createOutboxRelay({ outbox: memoryOutbox(rows), publisher: { publish: async (_t, data) => void sent.push(data) }, logger: silentLogger() })
    await relay.stop()
    relay.kick()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(sent).toEqual([])
    expect(rows.a).toHaveLength(1)
  })
})
