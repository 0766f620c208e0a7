import type { LogSink } from '@ticketing/shared/platform'
import type { AppRegistry } from './app-registry'
import { deliverWithRetries, type Settlement } from './delivery'
import type { InFlight } from './in-flight'
import { createQueueDrainer, type QueueDrainer } from './queue-drainer'
import type { Queue, QueuedMessage, QueueStore } from './queue-store'
import type { RetryPolicy } from './retry-policy'
import type { AppRegistration, CloudEvent, DeadLetter } from './types'

/** The pub/sub: a durable queue per subscriber and topic, retries with back-off, dead-letter topics. */
export interface PubSub {
  /** Enqueues the event on every queue bound to the topic, whether its app runs now or not. */
  publish(pubsubName: string, topic: string, event: CloudEvent): void
  /** Declares the queues of a registered app and drains them. */
  appRegistered(app: AppRegistration): void
  deadLetters(): DeadLetter[]
}

interface PubSubDeps {
  store: QueueStore
  apps: AppRegistry
  policy: RetryPolicy
  /** Deliveries in flight at a time per queue, like RabbitMQ's prefetchCount. */
  prefetch: number
  logger: LogSink
  inFlight: InFlight
  signal: AbortSignal
}

/** Creates the pub/sub half of the broker over its durable queues. */
export function createPubSub(deps: PubSubDeps): PubSub {
  const { store, apps, logger } = deps
  const drainers = new Map<number, QueueDrainer>()

  function drainerOf(queue: Queue): QueueDrainer {
    let drainer = drainers.get(queue.id)
    if (!drainer) {
      drainer = createQueueDrainer(queue, {
        ...deps,
        hasConsumer: (q) => apps.consumes(q.appId, q.pubsubName, q.topic),
        deliver: async (q, message) => settle(q, message, await deliverWithRetries(deps, q, message.event)),
      })
      drainers.set(queue.id, drainer)
    }
    return drainer
  }

  /** A message leaves its queue only here, once its delivery is finished; an interrupted one waits for the next drain. */
  function settle(queue: Queue, message: QueuedMessage, settlement: Settlement): void {
    if (settlement.kind === 'interrupted') return
    if (settlement.kind === 'delivered') {
      store.remove(message.seq)
      return
    }
    const { event } = message
    const { reason, level } = settlement
    const log = { appId: queue.appId, pubsubname: queue.pubsubName, topic: queue.topic, eventId: event.id }
    const deadLetterTopic = settlement.subscription?.deadLetterTopic
    if (deadLetterTopic && deadLetterTopic !== queue.topic) {
      // Like Dapr, the original envelope is republished untouched onto the dead-letter topic.
      const letter = { topic: queue.topic, deadLetterTopic, event, appId: queue.appId, reason }
      const queues = store.deadLetter(message.seq, queue.pubsubName, letter)
      logger.warn({ ...log, deadLetterTopic, reason }, 'message sent to the dead-letter topic')
      for (const bound of queues) drainerOf(bound).pump()
      return
    }
    store.remove(message.seq)
    if (level === 'warn') logger.warn({ ...log, reason }, 'message dropped')
    else logger.error({ ...log, reason }, 'message dropped')
  }

  return {
    publish(pubsubName, topic, event) {
      for (const queue of store.enqueue(pubsubName, topic, event)) drainerOf(queue).pump()
    },
    appRegistered(app) {
      for (const subscription of app.subscriptions) {
        drainerOf(store.declare(subscription.pubsubname, subscription.topic, app.appId)).pump()
      }
    },
    deadLetters: () => store.deadLetters(),
  }
}
