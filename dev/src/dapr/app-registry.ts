import type { AppRegistration, Subscription } from './types'

/** The app instance's subscription to the topic, if it declared one. */
export function subscriptionOf(app: AppRegistration, pubsubName: string, topic: string): Subscription | undefined {
  return app.subscriptions.find((s) => s.pubsubname === pubsubName && s.topic === topic)
}

/** The apps running now; several sidecars may share an app-id (replicas compete for messages). */
export interface AppRegistry {
  add(app: AppRegistration): () => void
  /** One replica of the app-id subscribed to the topic, rotating between replicas; undefined when none runs. */
  consumerOf(appId: string, pubsubName: string, topic: string): AppRegistration | undefined
  /** Whether a replica of the app-id subscribed to the topic runs now. */
  consumes(appId: string, pubsubName: string, topic: string): boolean
  /** An instance of the app that hosts the actor type, if one is up. */
  hostOf(actorType: string): AppRegistration | undefined
}

/** Creates an empty registry of apps. */
export function createAppRegistry(): AppRegistry {
  const instances = new Map<string, AppRegistration[]>()
  const cursor = new Map<string, number>()

  function pick(appId: string, accepts: (replica: AppRegistration) => boolean): AppRegistration | undefined {
    const replicas = (instances.get(appId) ?? []).filter(accepts)
    if (replicas.length === 0) return undefined
    const next = (cursor.get(appId) ?? 0) % replicas.length
    cursor.set(appId, next + 1)
    return replicas[next]
  }

  return {
    add(app) {
      instances.set(app.appId, [...(instances.get(app.appId) ?? []), app])
      return () => {
        const remaining = (instances.get(app.appId) ?? []).filter((other) => other !== app)
        if (remaining.length > 0) instances.set(app.appId, remaining)
        else instances.delete(app.appId)
      }
    },
    consumerOf: (appId, pubsubName, topic) => pick(appId, (replica) => subscriptionOf(replica, pubsubName, topic) !== undefined),
    consumes: (appId, pubsubName, topic) =>
      (instances.get(appId) ?? []).some((replica) => subscriptionOf(replica, pubsubName, topic) !== undefined),
    hostOf(actorType) {
      for (const [appId, replicas] of instances) {
        if (replicas.some((replica) => replica.actorTypes.includes(actorType))) {
          return pick(appId, (replica) => replica.actorTypes.includes(actorType))
        }
      }
      return undefined
    },
  }
}
