import { createLogger, type LogSink } from '@ticketing/shared/platform'
import { createAppRegistry } from './app-registry'
import { createInFlight } from './in-flight'
import { createPubSub } from './pubsub'
import { createReminders, type Reminders } from './reminders'
import type { RetryPolicy } from './retry-policy'
import { createStateStore, type StateStore } from './state-store'
import type { AppRegistration, CloudEvent, DeadLetter } from './types'

/** Options of {@link createBroker}. */
export interface BrokerOptions {
  /** Delivery attempts in total, the first included (default 5). */
  maxAttempts?: number
  /** First back-off delay; it doubles after each failure (default 200 ms). */
  initialBackoffMs?: number
  /** Back-off ceiling (default 5000 ms). */
  maxBackoffMs?: number
  /** Where the broker and its sidecars log (default: JSON lines on stdout at level info). */
  logger?: LogSink
}

/** What every sidecar of the process shares: the message bus, the reminder scheduler and the state stores. */
export interface Broker {
  readonly logger: LogSink
  /** Announces an app discovered by a sidecar; returns the function that withdraws it. */
  register(app: AppRegistration): () => void
  /** Delivers an envelope to every app-id subscribed to the topic. */
  publish(pubsubName: string, topic: string, event: CloudEvent): void
  readonly reminders: Reminders
  /** An app hosting the actor type, per the `/dapr/config` of the apps registered so far. */
  actorHost(actorType: string): AppRegistration | undefined
  /** The named state store (created on first use); keys are already namespaced by the caller. */
  stateStore(name: string): StateStore
  /** Resolves when no delivery, retry or reminder firing is in flight; scheduled reminders do not count. */
  idle(): Promise<void>
  /** Messages that ended in a dead-letter topic, oldest first. */
  deadLetters(): DeadLetter[]
  /** Cancels timers (reminders, retries) and pending deliveries. */
  close(): Promise<void>
}

/**
 * Creates the in-process broker shared by every local sidecar.
 * @example const broker = createBroker({ initialBackoffMs: 10 }); await startSidecar({ appId: 'orders', appUrl, broker })
 */
export function createBroker(options: BrokerOptions = {}): Broker {
  const policy: RetryPolicy = {
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    initialBackoffMs: options.initialBackoffMs ?? 200,
    maxBackoffMs: options.maxBackoffMs ?? 5000,
  }
  const logger = options.logger ?? createLogger({ name: 'dapr', level: 'info' })
  const apps = createAppRegistry()
  const inFlight = createInFlight()
  const lifetime = new AbortController()
  const deps = { apps, policy, logger, inFlight, signal: lifetime.signal }
  const pubsub = createPubSub(deps)
  const reminders = createReminders(deps)
  const stores = new Map<string, StateStore>()

  return {
    logger,
    register(app) {
      const withdraw = apps.add(app)
      reminders.hostsChanged()
      return withdraw
    },
    publish: (pubsubName, topic, event) => pubsub.publish(pubsubName, topic, event),
    reminders,
    actorHost: (actorType) => apps.hostOf(actorType),
    stateStore(name) {
      let store = stores.get(name)
      if (!store) stores.set(name, (store = createStateStore()))
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
