import { createServiceApp } from '@ticketing/shared/platform'
import type { Deps } from './deps'
import { actors } from './events/order-expiration.actor'
import { subscriptions } from './events/subscriptions'

/** The expiration service as a Hono app: Dapr routes (subscriptions, actor reminders), health and its (empty) API document. */
export function createApp(deps: Deps) {
  return createServiceApp({
    appId: 'expiration', path: 'expiration', title: 'Expiration', logger: deps.logger,
    description: 'No public API: the service only reacts to order events and to its Dapr actor reminders.',
    pubsubName: deps.pubsubName, subscriptions: subscriptions(deps), actors: actors(deps),
  })
}
