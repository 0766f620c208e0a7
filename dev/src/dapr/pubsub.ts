import type { LogSink } from '@ticketing/shared/platform'
import { deliverEvent, selectPath, type DeliveryOutcome } from './app-channel'
import { subscriptionOf, type AppRegistry } from './app-registry'
import type { InFlight } from './in-flight'
import { backoffMs, pause, type RetryPolicy } from './retry-policy'
import type { CloudEvent, DeadLetter, Subscription } from './types'

/** The in-memory pub/sub: fan-out per app-id, retries with back-off, dead-letter topics. */
export interface PubSub {
  /** Delivers the event to every app-id subscribed to the topic. */
  publish(pubsubName: string, topic: string, event: CloudEvent): void
  deadLetters(): DeadLetter[]
}

interface PubSubDeps {
  apps: AppRegistry
  policy: RetryPolicy
  logger: LogSink
  inFlight: InFlight
  signal: AbortSignal
}

interface Attempt {
  outcome: DeliveryOutcome
  subscription?: Subscription
}

/** Creates the pub/sub half of the broker. */
export function createPubSub(deps: PubSubDeps): PubSub {
  const { apps, policy, logger, inFlight, signal } = deps
  const deadLetters: DeadLetter[] = []

  /** One delivery to one replica; also returns the subscription that replica declared, for dead-lettering. */
  async function attempt(appId: string, pubsubName: string, topic: string, event: CloudEvent): Promise<Attempt> {
    const instance = apps.pick(appId)
    if (!instance) return { outcome: { kind: 'retry', reason: `no instance of app "${appId}" is running` } }
    const subscription = subscriptionOf(instance, pubsubName, topic)
    if (!subscription) return { outcome: { kind: 'retry', reason: `this instance of "${appId}" does not subscribe to ${topic}` } }
    const path = selectPath(subscription)
    const outcome: DeliveryOutcome = path
      ? await deliverEvent(instance.appUrl, path, event, signal)
      : { kind: 'drop', reason: 'the subscription has no route', level: 'error' }
    return { outcome, subscription }
  }

  async function deliver(appId: string, pubsubName: string, topic: string, event: CloudEvent): Promise<void> {
    const log = { appId, pubsubname: pubsubName, topic, eventId: event.id }
    let outcome: DeliveryOutcome = { kind: 'retry', reason: 'not attempted' }
    let subscription: Subscription | undefined
    for (let attemptNo = 1; attemptNo <= policy.maxAttempts && !signal.aborted; attemptNo += 1) {
      const result = await attempt(appId, pubsubName, topic, event)
      outcome = result.outcome
      subscription = result.subscription ?? subscription
      if (outcome.kind !== 'retry') break
      if (attemptNo === policy.maxAttempts) break
      const delay = backoffMs(policy, attemptNo)
      logger.warn({ ...log, attempt: attemptNo, reason: outcome.reason, retryInMs: delay }, 'delivery failed, retrying')
      if (!(await pause(delay, signal))) return
    }
    if (outcome.kind === 'success' || signal.aborted) return
    const reason = outcome.kind === 'drop' ? outcome.reason : `retries exhausted after ${policy.maxAttempts} attempts: ${outcome.reason}`
    const deadLetterTopic = subscription?.deadLetterTopic
    if (deadLetterTopic && deadLetterTopic !== topic) {
      deadLetters.push({ topic, deadLetterTopic, event, appId, reason })
      logger.warn({ ...log, deadLetterTopic, reason }, 'message sent to the dead-letter topic')
      // Like Dapr, the original envelope is republished untouched onto the dead-letter topic.
      publish(pubsubName, deadLetterTopic, event)
      return
    }
    if (outcome.kind === 'drop' && outcome.level === 'warn') logger.warn({ ...log, reason }, 'message dropped')
    else logger.error({ ...log, reason }, 'message dropped')
  }

  function publish(pubsubName: string, topic: string, event: CloudEvent): void {
    for (const appId of apps.subscribersOf(pubsubName, topic)) {
      const done = inFlight.begin()
      void deliver(appId, pubsubName, topic, event)
        .catch((error: unknown) => logger.error({ appId, topic, eventId: event.id, err: error }, 'delivery crashed'))
        .finally(done)
    }
  }

  return { publish, deadLetters: () => [...deadLetters] }
}
