import { createLogger, type LogSink } from '@ticketing/shared/platform'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { createAppRegistry } from './app-registry'
import { createInFlight } from './in-flight'
import { createPubSub } from './pubsub'
import { createQueueStore } from './queue-store'
import { createReminderStore } from './reminder-store'
import { createReminders, type Reminders } from './reminders'
import { constantRetries, noRetries, type RetryPolicy } from './retry-policy'
import { createStateStore, type StateStore } from './state-store'
import type { AppRegistration, CloudEvent, DeadLetter } from './types'

/** Options of {@link createBroker}. */
export interface BrokerOptions {
  /** How deliveries to a subscriber are retried, as the Resiliency's pub/sub inbound policy says (default: no retries). */
  delivery?: RetryPolicy
  /** How a reminder firing the app did not answer 200 is retried (default: 3 times, 1 s apart: 4 tries in all, as daprd 1.18 does). */
  reminderRetries?: RetryPolicy
  /** Deliveries in flight at a time per queue, like RabbitMQ's prefetchCount (default 10, as in dapr/components). */
  prefetchCount?: number
  /** Where the broker and its sidecars log (default: JSON lines on stdout at level info). */
  logger?: LogSink
  /** Where queues, reminders and state are kept (default: a new in-memory database); the caller closes it after close(). */
  db?: DatabaseSync
}

/** What every sidecar of the process shares: the message bus, the reminder scheduler and the state stores. */
export interface Broker {
  readonly logger: LogSink
  /** Announces an app discovered by a sidecar; returns the function that withdraws it. */
  register(app: AppRegistration): () => void
  /** Enqueues an envelope on the queue of every app-id subscribed to the topic, running or not. */
  publish(pubsubName: string, topic: string, event: CloudEvent): void
  readonly reminders: Reminders
  /** An app hosting the actor type, per the `/dapr/config` of the apps registered so far. */
  actorHost(actorType: string): AppRegistration | undefined
  /** The named state store (created on first use); keys are already namespaced by the caller. */
  stateStore(name: string): StateStore
  /**
   * Resolves when no delivery, retry or reminder firing is in flight; scheduled reminders and messages
   * waiting for an app that is not running do not count.
   */
  idle(): Promise<void>
  /** Messages that ended in a dead-letter topic, oldest first. */
  deadLetters(): DeadLetter[]
  /** Cancels timers (reminders, retries) and deliveries in flight; what is stored stays for the next broker on the database. */
  close(): Promise<void>
}

/**
 * Creates the in-process broker shared by every local sidecar, durable in its SQLite database: messages wait
 * in their subscriber's queue until delivered, and reminders and state survive a restart on the same file.
 * @example const broker = createBroker({ db: openSqlite('.data/dapr.db') }); await startSidecar({ appId: 'orders', appUrl, broker })
 */
export function createBroker(options: BrokerOptions = {}): Broker {
  const logger = options.logger ?? createLogger({ name: 'dapr', level: 'info' })
  const db = options.db ?? openSqlite(':memory:')
  const apps = createAppRegistry()
  const inFlight = createInFlight()
  const lifetime = new AbortController()
  const deps = { apps, logger, inFlight, signal: lifetime.signal }
  const pubsub = createPubSub({
    ...deps,
    policy: options.delivery ?? noRetries,
    store: createQueueStore(db),
    prefetch: Math.max(1, options.prefetchCount ?? 10),
  })
  const reminders = createReminders({ ...deps, policy: options.reminderRetries ?? constantRetries(1000, 3), store: createReminderStore(db) })
  const stores = new Map<string, StateStore>()

  return {
    logger,
    register(app) {
      const withdraw = apps.add(app)
      pubsub.appRegistered(app)
      reminders.hostsChanged()
      return withdraw
    },
    publish: (pubsubName, topic, event) => pubsub.publish(pubsubName, topic, event),
    reminders,
    actorHost: (actorType) => apps.hostOf(actorType),
    stateStore(name) {
      let store = stores.get(name)
      if (!store) stores.set(name, (store = createStateStore(db, name)))
      return store
    },
    idle: () => inFlight.idle(),
    deadLetters: () => pubsub.deadLetters(),
    async close() {
      lifetime.abort()
      reminders.close()
      await inFlight.idle()
    },
  }
}
