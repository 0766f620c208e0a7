import type { AppRegistration, Subscription } from './types'

/** The app instance's subscription to the topic, if it declared one. */
export function subscriptionOf(app: AppRegistration, pubsubName: string, topic: string): Subscription | undefined {
  return app.subscriptions.find((s) => s.pubsubname === pubsubName && s.topic === topic)
}

/** The apps known to the broker; several sidecars may share an app-id (replicas compete for messages). */
export interface AppRegistry {
  add(app: AppRegistration): () => void
  /** One instance of the app-id, rotating between replicas. */
  pick(appId: string): AppRegistration | undefined
  /** App-ids with a subscription to the topic. */
  subscribersOf(pubsubName: string, topic: string): string[]
  /** An instance of the app that hosts the actor type, if one is up. */
  hostOf(actorType: string): AppRegistration | undefined
}

/** Creates an empty registry of apps. */
export function createAppRegistry(): AppRegistry {
  const instances = new Map<string, AppRegistration[]>()
  const cursor = new Map<string, number>()
  return {
    add(app) {
      instances.set(app.appId, [...(instances.get(app.appId) ?? []), app])
      return () => {
        const remaining = (instances.get(app.appId) ?? []).filter((other) => other !== app)
        if (remaining.length > 0) instances.set(app.appId, remaining)
        else instances.delete(app.appId)
      }
    },
    pick(appId) {
      const replicas = instances.get(appId) ?? []
      if (replicas.length === 0) return undefined
      const next = (cursor.get(appId) ?? 0) % replicas.length
      cursor.set(appId, next + 1)
      return replicas[next]
    },
    subscribersOf(pubsubName, topic) {
      return [...instances]
        .filter(([, replicas]) => replicas.some((replica) => subscriptionOf(replica, pubsubName, topic)))
        .map(([appId]) => appId)
    },
    hostOf(actorType) {
      for (const [appId, replicas] of instances) {
        if (replicas.some((replica) => replica.actorTypes.includes(actorType))) return this.pick(appId)
      }
      return undefined
    },
  }
}
