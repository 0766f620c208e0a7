import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr'
import { topics, type EventOf, type Topic } from '../contracts'
import { eventId } from './outbox'
import { currentTraceparent } from './trace'

export type Publisher = {
  /** Validates the payload against its contract and publishes it through the sidecar. */
  publish<T extends Topic>(topic: T, data: EventOf<T>, options?: { id?: string; traceparent?: string }): Promise<void>
}

/**
 * Publishes through the Dapr sidecar's publish API with `@dapr/dapr`'s HTTP client.
 * @example const publisher = createDaprPublisher({ daprHost: '127.0.0.1', daprPort: 3500, pubsubName: 'pubsub' })
 */
export function createDaprPublisher(options: { daprHost: string; daprPort: number; pubsubName: string }): Publisher {
  const client = new DaprClient({
    daprHost: options.daprHost,
    daprPort: String(options.daprPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    logger: { level: LogLevel.Warn },
  })
  return {
    async publish(topic, data, { id, traceparent = currentTraceparent() } = {}) {
      const payload = topics[topic].schema.parse(data)
      const result = await client.pubsub.publish(options.pubsubName, topic, payload, {
        contentType: 'application/json',
        // Dapr puts a `cloudevent.traceparent` override on the envelope as is, continuing the caller's trace.
        metadata: { 'cloudevent.id': id ?? eventId(topic, payload), ...(traceparent ? { 'cloudevent.traceparent': traceparent } : {}) },
      })
      // The HTTP client reports failures in the result instead of throwing.
      if (result.error) throw new Error(`publish to ${topic} failed: ${String(result.error)}`)
    },
  }
}
