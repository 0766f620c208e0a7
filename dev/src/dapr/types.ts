/** A CloudEvent 1.0 envelope as Dapr builds it around a published message. */
export interface CloudEvent {
  id: string
  source: string
  type: string
  specversion: string
  datacontenttype: string
  data?: unknown
  data_base64?: string
  topic: string
  pubsubname: string
  traceparent: string
  traceid: string
  tracestate: string
  time: string
  [extension: string]: unknown
}

/** One subscription as an app declares it in `GET /dapr/subscribe`, normalised. */
export interface Subscription {
  pubsubname: string
  topic: string
  /**
   * Route rules in declaration order, the default route last with an empty match
   * (as Dapr stores them); CEL matches are not evaluated, only kept for metadata.
   */
  rules: Array<{ match: string; path: string }>
  deadLetterTopic?: string
  metadata?: Record<string, string>
}


/** What a sidecar tells the broker about its app once discovery is done. */
export interface AppRegistration {
  appId: string
  appUrl: string
  subscriptions: Subscription[]
  actorTypes: string[]
}

/** A message that ended in a dead-letter topic. */
export interface DeadLetter {
  topic: string
  deadLetterTopic: string
  event: CloudEvent
  appId: string
  reason: string
}
