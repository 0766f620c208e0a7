import { deliverEvent, selectPath, type DeliveryOutcome } from './app-channel'
import type { AppRegistry } from './app-registry'
import type { InFlight } from './in-flight'
import { backoffMs, pause, type RetryPolicy } from './retry-policy'
import type { CloudEvent, DaprLogger, DeadLetter, Subscription } from './types'

/** The in-memory pub/sub: fan-out per app-id, retries with back-off, dead-letter topics. */
export interface PubSub {
  /** Delivers the event to every app-id subscribed to the topic; returns how many app-ids it reached. */
  publish(pubsubName: string, topic: string, event: CloudEvent): number
  deadLetters(): DeadLetter[]
}

interface PubSubDeps {
  apps: AppRegistry
  policy: RetryPolicy
  logger: DaprLogger
  inFlight: InFlight
  signal: AbortSignal
}

/** Creates the pub/sub half of the broker. */
export function createPubSub(deps: PubSubDeps): PubSub {
  const { apps, policy, logger, inFlight, signal } = deps
  const deadLetters: DeadLetter[] = []

  async function attempt(appId: string, fallback: Subscription, event: CloudEvent): Promise<DeliveryOutcome> {
    const instance = apps.pick(appId)
    if (!instance) return { kind: 'retry', reason: `no instance of app "${appId}" is running` }
    const subscription =
      instance.subscriptions.find((s) => s.pubsubname === fallback.pubsubname && s.topic === fallback.topic) ?? fallback
    const path = selectPath(subscription)
    if (!path) return { kind: 'drop', reason: 'the subscription has no route', level: 'error' }
    return deliverEvent(instance.appUrl, path, event, signal)
  }

  async function deliver(appId: string, subscription: Subscription, event: CloudEvent): Promise<void> {
    const log = { appId, pubsubname: subscription.pubsubname, topic: subscription.topic, eventId: event.id }
    let outcome: DeliveryOutcome = { kind: 'retry', reason: 'not attempted' }
    for (let attemptNo = 1; attemptNo <= policy.maxAttempts && !signal.aborted; attemptNo += 1) {
      outcome = await attempt(appId, subscription, event)
      if (outcome.kind !== 'retry') break
      if (attemptNo === policy.maxAttempts) break
      const delay = backoffMs(policy, attemptNo)
      logger.warn({ ...log, attempt: attemptNo, reason: outcome.reason, retryInMs: delay }, 'delivery failed, retrying')
      if (!(await pause(delay, signal))) return
    }
    if (outcome.kind === 'success' || signal.aborted) return
    const reason = outcome.kind === 'drop' ? outcome.reason : `retries exhausted after ${policy.maxAttempts} attempts: ${outcome.reason}`
    const deadLetterTopic = subscription.deadLetterTopic
    if (deadLetterTopic && deadLetterTopic !== subscription.topic) {
      deadLetters.push({ topic: subscription.topic, deadLetterTopic, event, appId, reason })
      logger.warn({ ...log, deadLetterTopic, reason }, 'message sent to the dead-letter topic')
      // Like Dapr, the original envelope is republished untouched onto the dead-letter topic.
      publish(subscription.pubsubname, deadLetterTopic, event)
      return
    }
    if (outcome.kind === 'drop' && outcome.level === 'warn') logger.warn({ ...log, reason }, 'message dropped')
    else logger.error({ ...log, reason }, 'message dropped')
  }

  function publish(pubsubName: string, topic: string, event: CloudEvent): number {
    const subscribers = apps.subscribersOf(pubsubName, topic)
    for (const { appId, subscription } of subscribers) {
      const done = inFlight.begin()
      void deliver(appId, subscription, event)
        .catch((error: unknown) => logger.error({ appId, topic, eventId: event.id, err: error }, 'delivery crashed'))
        .finally(done)
    }
    return subscribers.length
  }

  return { publish, deadLetters: () => [...deadLetters] }
}
