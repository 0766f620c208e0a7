import type { LogSink } from '@ticketing/shared/platform'
import type { InFlight } from './in-flight'
import type { Queue, QueuedMessage, QueueStore } from './queue-store'

/** Feeds one queue to its app, oldest message first, with at most `prefetch` deliveries at a time. */
export interface QueueDrainer {
  /** Starts deliveries for waiting messages while there is room and a replica of the app runs. */
  pump(): void
}

/** What a drainer needs: `deliver` runs one message's delivery to its end and settles it in the store. */
export interface DrainerDeps {
  store: QueueStore
  prefetch: number
  inFlight: InFlight
  logger: LogSink
  signal: AbortSignal
  hasConsumer(queue: Queue): boolean
  deliver(queue: Queue, message: QueuedMessage): Promise<void>
}

/** Creates the drainer of one queue; each queue has its own, so a slow app never holds up another's queue. */
export function createQueueDrainer(queue: Queue, deps: DrainerDeps): QueueDrainer {
  const { store, prefetch, inFlight, logger, signal } = deps
  // Messages being delivered now; they stay in the store until their delivery is finished.
  const active = new Set<number>()

  async function deliverOne(message: QueuedMessage): Promise<void> {
    try {
      await deps.deliver(queue, message)
    } catch (error) {
      // Not pumped again at once, or the same message would crash again in a tight loop; the next publish or app start retries it.
      logger.error({ appId: queue.appId, topic: queue.topic, eventId: message.event.id, err: error }, 'delivery crashed')
      return
    } finally {
      active.delete(message.seq)
    }
    pump()
  }

  function start(message: QueuedMessage): void {
    active.add(message.seq)
    const done = inFlight.begin()
    void deliverOne(message)
      .catch((error: unknown) => logger.error({ queue: queue.name, err: error }, 'the queue could not be read'))
      .finally(done)
  }

  function pump(): void {
    if (signal.aborted || active.size >= prefetch || !deps.hasConsumer(queue)) return
    // However old the messages in flight are, this window holds enough others to fill every free slot.
    for (const message of store.oldest(queue, prefetch + active.size)) {
      if (active.size >= prefetch) break
      if (!active.has(message.seq)) start(message)
    }
  }

  return { pump }
}
