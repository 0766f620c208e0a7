import type { Broker } from './broker'
import type { Subscription } from './types'

/** What the sidecar's routes know about the sidecar they belong to. */
export interface SidecarContext {
  appId: string
  appUrl: string
  broker: Broker
  pubsubName: string
  stateStoreName: string
  /** Filled once discovery is done; until then only outbound APIs are ready. */
  discovery?: { subscriptions: Subscription[]; actorTypes: string[] }
  /** Attributes set with `PUT /v1.0/metadata/{key}`. */
  extended: Record<string, string>
}
