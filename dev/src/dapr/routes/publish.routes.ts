import { Hono } from 'hono'
import { buildCloudEvent, InvalidCloudEventError } from '../cloud-event'
import type { SidecarContext } from '../sidecar-context'
import { daprError } from './dapr-error'

/** `POST /v1.0/publish/{pubsub}/{topic}`: wraps the body in a CloudEvent and hands it to the broker. */
export function publishRoutes(ctx: SidecarContext): Hono {
  return new Hono().post('/v1.0/publish/:pubsub/:topic{.+}', async (c) => {
    const { pubsub, topic } = c.req.param()
    if (pubsub !== ctx.pubsubName) {
      return daprError(c, 404, 'ERR_PUBSUB_NOT_FOUND', `pubsub ${pubsub} not found`)
    }
    const query = c.req.query()
    let event
    try {
      event = buildCloudEvent({
        body: Buffer.from(await c.req.arrayBuffer()),
        contentType: c.req.header('content-type'),
        pubsubName: pubsub,
        topic,
        source: ctx.appId,
        traceparent: c.req.header('traceparent'),
        tracestate: c.req.header('tracestate'),
        overrides: {
          id: query['metadata.cloudevent.id'],
          source: query['metadata.cloudevent.source'],
          type: query['metadata.cloudevent.type'],
          traceparent: query['metadata.cloudevent.traceparent'],
          traceid: query['metadata.cloudevent.traceid'],
          tracestate: query['metadata.cloudevent.tracestate'],
        },
        now: new Date(),
      })
    } catch (error) {
      if (!(error instanceof InvalidCloudEventError)) throw error
      return daprError(c, 400, 'ERR_PUBSUB_CLOUD_EVENTS_SER', `error when unmarshalling the cloud event: ${error.message}`)
    }
    ctx.broker.publish(pubsub, topic, event)
    return c.body(null, 204)
  })
}
