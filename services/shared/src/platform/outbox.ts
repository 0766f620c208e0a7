import type { Topic } from '../contracts'
import type { Logger } from './logger'
import type { Publisher } from './publisher'

/**
 * A deterministic CloudEvent id: the same fact always gets the same id, so consumers
 * and the broker can recognise a re-publish.
 * @example eventId('ticket.updated', { id: 't1', version: 3 }) // 'ticket.updated/t1/3'
 */
export function eventId(topic: Topic, data: object): string {
  const d = data as { id?: string; orderId?: string; version?: number }
  return [topic, d.id ?? d.orderId, d.version].filter((part) => part !== undefined).join('/')
}

/** An event waiting on its aggregate's document until the relay has published it. */
export type OutboxEvent = { id: string; topic: Topic; data: object }

/** What a store offers the relay: documents with unsent events, and a way to mark them sent. */
export type Outbox = {
  pending(limit: number): Promise<Array<{ key: string; events: OutboxEvent[] }>>
  markSent(key: string, events: OutboxEvent[]): Promise<void>
}

/**
 * The outbox half of an in-memory store: `rows` maps a document key to its pending events.
 * @example return { ...ticketsMethods, ...memoryOutbox(rows) }
 */
export function memoryOutbox(rows: Map<string, { outbox: OutboxEvent[] }>): Outbox {
  return {
    async pending(limit) {
      return [...rows.entries()]
        .filter(([, row]) => row.outbox.length > 0)
        .slice(0, limit)
        .map(([key, row]) => ({ key, events: structuredClone(row.outbox) }))
    },
    async markSent(key, events) {
      const row = rows.get(key)
      const sent = new Set(events.map((e) => e.id))
      if (row) row.outbox = row.outbox.filter((e) => !sent.has(e.id))
    },
  }
}

export type OutboxRelay = { kick(): void; flush(): Promise<void>; start(): void; stop(): Promise<void> }

/**
 * Publishes the events that stores wrote atomically with their state change, then marks them sent.
 * A crash between the two re-publishes with the same event id, which consumers ignore by version.
 * @example const relay = createOutboxRelay({ outbox: store, publisher, logger }); relay.start()
 */
export function createOutboxRelay(options: { outbox: Outbox; publisher: Publisher; logger: Logger; intervalMs?: number }): OutboxRelay {
  const { outbox, publisher, logger } = options
  let running: Promise<void> | undefined
  let again = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  /** Publishes batch after batch; a document that fails is left pending and does not hold up the others. */
  async function drain() {
    for (;;) {
      const batch = await outbox.pending(100)
      let sent = 0
      for (const { key, events } of batch) {
        try {
          for (const event of events) await publisher.publish(event.topic, event.data as never, { id: event.id })
          await outbox.markSent(key, events)
          sent++
        } catch (err) {
          logger.warn({ err, key, eventIds: events.map((e) => e.id) }, 'outbox relay will retry')
        }
      }
      if (sent === 0) return
    }
  }

  function flush(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = drain()
      .catch((err) => logger.warn({ err }, 'outbox relay could not read pending events; will retry'))
      .finally(() => {
        running = undefined
        if (again && !stopped) {
          again = false
          void flush()
        }
      })
    return running
  }

  return {
    // After stop, the store may be closing: a late write's events wait for the next start.
    kick: () => void (stopped || flush()),
    flush,
    start() {
      stopped = false
      timer ??= setInterval(() => void flush(), options.intervalMs ?? 1000)
      timer.unref()
    },
    async stop() {
      stopped = true
      clearInterval(timer)
      timer = undefined
      await running
    },
  }
}
