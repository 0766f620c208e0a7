import type { LogSink } from '@ticketing/shared/platform'
import { deliverEvent, selectPath, type DeliveryOutcome } from './app-channel'
import { subscriptionOf, type AppRegistry } from './app-registry'
import type { Queue } from './queue-store'
import { nextDelayMs, pause, type RetryPolicy } from './retry-policy'
import type { CloudEvent, Subscription } from './types'

/** How the delivery of one queued message ended. */
export type Settlement =
  | { kind: 'delivered' }
  /** The broker is closing or no replica of the app runs: the message stays in its queue for later. */
  | { kind: 'interrupted' }
  /** Dropped by the app or out of retries; `subscription` is the one declared by the replica that last answered. */
  | { kind: 'failed'; reason: string; level: 'warn' | 'error'; subscription?: Subscription }

/** What {@link deliverWithRetries} needs from the broker. */
export interface DeliveryDeps {
  apps: AppRegistry
  policy: RetryPolicy
  logger: LogSink
  signal: AbortSignal
}

interface Attempt {
  outcome: DeliveryOutcome
  subscription: Subscription
}

/** One delivery to one replica, or undefined when no replica subscribed to the topic runs now. */
async function attempt(deps: DeliveryDeps, queue: Queue, event: CloudEvent): Promise<Attempt | undefined> {
  const instance = deps.apps.consumerOf(queue.appId, queue.pubsubName, queue.topic)
  const subscription = instance && subscriptionOf(instance, queue.pubsubName, queue.topic)
  if (!instance || !subscription) return undefined
  const path = selectPath(subscription)
  const outcome: DeliveryOutcome = path
    ? await deliverEvent(instance.appUrl, path, event, deps.signal)
    : { kind: 'drop', reason: 'the subscription has no route', level: 'error' }
  return { outcome, subscription }
}

/** Delivers one queued message, retrying per the policy, until the app takes it, drops it or retries run out. */
export async function deliverWithRetries(deps: DeliveryDeps, queue: Queue, event: CloudEvent): Promise<Settlement> {
  const { policy, logger, signal } = deps
  const startedAt = Date.now()
  const log = { appId: queue.appId, pubsubname: queue.pubsubName, topic: queue.topic, eventId: event.id }
  for (let attemptNo = 1; !signal.aborted; attemptNo += 1) {
    const result = await attempt(deps, queue, event)
    if (!result) {
      logger.info({ ...log, queue: queue.name }, 'no instance of the app is running; the message waits in its queue')
      return { kind: 'interrupted' }
    }
    const { outcome, subscription } = result
    if (outcome.kind === 'success') return { kind: 'delivered' }
    if (signal.aborted) break
    if (outcome.kind === 'drop') return { kind: 'failed', reason: outcome.reason, level: outcome.level, subscription }
    const delay = nextDelayMs(policy, attemptNo, Date.now() - startedAt)
    if (delay === undefined) {
      const reason = `retries exhausted after ${attemptNo} attempts: ${outcome.reason}`
      return { kind: 'failed', reason, level: 'error', subscription }
    }
    logger.warn({ ...log, attempt: attemptNo, reason: outcome.reason, retryInMs: delay }, 'delivery failed, retrying')
    if (!(await pause(delay, signal))) break
  }
  return { kind: 'interrupted' }
}
