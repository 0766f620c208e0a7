import { topics, type Topic } from '../contracts'
import type { Logger } from './logger'
import type { Publisher } from './publisher'
import { currentTraceparent, withoutTrace } from './trace'

/**
 * A deterministic CloudEvent id: the same fact always gets the same id, so consumers
 * and the broker can recognise a re-publish.
 * @example eventId('ticket.updated', { id: 't1', version: 3 }) // 'ticket.updated/t1/3'
 */
export function eventId(topic: Topic, data: object): string {
  const d = data as { id?: string; orderId?: string; version?: number }
  return [topic, d.id ?? d.orderId, d.version].filter((part) => part !== undefined).join('/')
}

/** An event waiting on its aggregate's document until the relay has published it, with the trace that caused it. */
export type OutboxEvent = { id: string; topic: Topic; data: object; traceparent?: string }

/**
 * The outbox entry for a fact, in the trace of the request or event being handled.
 * @example await deps.store.insert(ticket, [outboxEvent(TICKET_CREATED, toEvent(ticket))])
 */
export function outboxEvent(topic: Topic, data: object): OutboxEvent {
  const traceparent = currentTraceparent()
  return { id: eventId(topic, data), topic, data, ...(traceparent ? { traceparent } : {}) }
}

/** What a store offers the relay: documents with unsent events, in key order, and ways to take events off them. */
export type Outbox = {
  /** Up to `limit` documents with pending events whose keys come after `after`, by key. */
  pending(limit: number, after?: string): Promise<Array<{ key: string; events: OutboxEvent[] }>>
  markSent(key: string, events: OutboxEvent[]): Promise<void>
  /** Moves events that can never be published off the pending list, onto the document's `unpublishable` list. */
  setAside(key: string, events: OutboxEvent[]): Promise<void>
}

export type OutboxRelay = { kick(): void; flush(): Promise<void>; start(): void; stop(): Promise<void> }

const PAGE = 100
// Documents published side by side: one document's events go out in order, but no document waits for another's
// round trip to the sidecar, so under load an event is not held up behind every other one pending.
const PUBLISHING_AT_ONCE = 16

/** Runs `task` on every item, `limit` at a time; rejects with the first failure once all have finished. */
async function eachAtOnce<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const failures: unknown[] = []
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!
      await task(item).catch((err: unknown) => void failures.push(err))
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failures.length > 0) throw failures[0]
}

/**
 * Publishes the events that stores wrote atomically with their state change, then marks them sent.
 * A crash between the two re-publishes with the same event id, which consumers ignore by version.
 * Each round walks every pending document once. An event that breaks its contract can never be
 * published: it is logged at error once and set aside on its document (kept, not lost). A document
 * whose publish fails (the sidecar away) waits out a growing back-off while the others go on.
 * @example const relay = createOutboxRelay({ outbox: store, publisher, logger }); relay.start()
 */
export function createOutboxRelay(options: { outbox: Outbox; publisher: Publisher; logger: Logger; intervalMs?: number; maxBackoffMs?: number }): OutboxRelay {
  const { outbox, publisher, logger } = options
  const intervalMs = options.intervalMs ?? 1000
  const maxBackoffMs = options.maxBackoffMs ?? 60_000
  const backoff = new Map<string, { until: number; ms: number }>()
  let running: Promise<void> | undefined
  let again = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  /** Publishes one document's events in order; when the sidecar refuses one, the rest wait with it. */
  async function publishDocument(key: string, events: OutboxEvent[]): Promise<void> {
    const unpublishable = events.filter((e) => !topics[e.topic]?.schema.safeParse(e.data).success)
    if (unpublishable.length > 0) {
      logger.error({ key, events: unpublishable }, 'outbox events break their contract and can never be published; set aside on their document')
      await outbox.setAside(key, unpublishable)
    }
    const sent: OutboxEvent[] = []
    try {
      for (const event of events.filter((e) => !unpublishable.includes(e))) {
        await publisher.publish(event.topic, event.data as never, { id: event.id, ...(event.traceparent ? { traceparent: event.traceparent } : {}) })
        sent.push(event)
      }
      backoff.delete(key)
    } catch (err) {
      const ms = Math.min((backoff.get(key)?.ms ?? intervalMs / 2) * 2, maxBackoffMs)
      backoff.set(key, { until: Date.now() + ms, ms })
      logger.warn({ err, key, eventIds: events.map((e) => e.id), retryInMs: ms }, 'outbox relay will retry')
    }
    if (sent.length > 0) await outbox.markSent(key, sent)
  }

  async function drain() {
    for (let after: string | undefined; ; ) {
      const page = await outbox.pending(PAGE, after)
      const due = page.filter(({ key }) => (backoff.get(key)?.until ?? 0) <= Date.now())
      await eachAtOnce(due, PUBLISHING_AT_ONCE, ({ key, events }) => publishDocument(key, events))
      if (page.length < PAGE) return
      after = page.at(-1)!.key
    }
  }

  function flush(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    // A kick comes from inside a request; the round it starts publishes other requests' events too.
    running = withoutTrace(drain)
      .catch((err: unknown) => logger.warn({ err }, 'outbox relay could not read pending events; will retry'))
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
      timer ??= setInterval(() => void flush(), intervalMs)
      timer.unref()
    },
    // The last round: what the final requests wrote goes out before the store closes.
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      timer = undefined
      await running
      await withoutTrace(drain).catch((err: unknown) => logger.warn({ err }, 'outbox relay could not finish its last round; the events wait for the next start'))
    },
  }
}
