import { Hono } from 'hono'
import { z } from 'zod'
import { topics, type EventOf, type Topic } from '../contracts'
import { traceIdOf, type Logger } from './logger'

export type EventMeta = { id: string; topic: Topic; log: Logger }
export type EventHandler<T extends Topic> = (event: EventOf<T>, meta: EventMeta) => Promise<void>
export type Subscription = { topic: Topic; handle: EventHandler<Topic> }

/** Thrown by a handler for a message that can never succeed: it is dropped to the dead-letter topic, not retried. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError'
}

/**
 * Pairs a topic with its handler; the payload is already validated against the topic's contract.
 * @example subscribe('order.created', (event) => reserveTicket(deps, event))
 */
export function subscribe<T extends Topic>(topic: T, handle: EventHandler<T>): Subscription {
  return { topic, handle: handle as EventHandler<Topic> }
}

export const DEAD_LETTER_TOPIC = 'dead-letter'
export const eventRoute = (topic: Topic) => `/events/${topic}`

const cloudEvent = z.object({ id: z.string().min(1), data: z.unknown(), traceparent: z.string().optional() })

type Outcome = 'SUCCESS' | 'RETRY' | 'DROP'

/**
 * The routes the Dapr sidecar calls: `GET /dapr/subscribe` and one POST route per topic.
 * A payload that breaks its contract is answered DROP (so it lands in the dead-letter topic);
 * a handler that throws is answered RETRY, so no accepted message is lost.
 * @example app.route('/', createSubscriptionRouter({ pubsubName: 'pubsub', subscriptions, logger }))
 */
export function createSubscriptionRouter(options: { pubsubName: string; subscriptions: Subscription[]; logger: Logger }) {
  const { pubsubName, subscriptions, logger } = options
  const app = new Hono()

  app.get('/dapr/subscribe', (c) =>
    c.json(
      subscriptions.map(({ topic }) => ({
        pubsubname: pubsubName,
        topic,
        routes: { default: eventRoute(topic) },
        deadLetterTopic: DEAD_LETTER_TOPIC,
      })),
    ),
  )

  for (const { topic, handle } of subscriptions) {
    app.post(eventRoute(topic), async (c) => {
      const envelope = cloudEvent.safeParse(await c.req.json().catch(() => undefined))
      const id = envelope.success ? envelope.data.id : 'unknown'
      const traceId = traceIdOf(envelope.data?.traceparent ?? c.req.header('traceparent'))
      const log = logger.child({ eventId: id, topic, ...(traceId ? { traceId } : {}) })
      const outcome = await deliver(envelope.data?.data, envelope.success, topic, handle, { id, topic, log })
      return c.json({ status: outcome })
    })
  }
  return app
}

async function deliver(data: unknown, isEnvelope: boolean, topic: Topic, handle: EventHandler<Topic>, meta: EventMeta): Promise<Outcome> {
  const payload = topics[topic].schema.safeParse(data)
  if (!isEnvelope || !payload.success) {
    meta.log.error({ outcome: 'DROP', issues: payload.error?.issues }, 'event breaks its contract')
    return 'DROP'
  }
  try {
    await handle(payload.data, meta)
    meta.log.info({ outcome: 'SUCCESS' }, 'event handled')
    return 'SUCCESS'
  } catch (err) {
    const outcome = err instanceof PoisonMessageError ? 'DROP' : 'RETRY'
    meta.log[outcome === 'DROP' ? 'error' : 'warn']({ outcome, err }, 'event handler failed')
    return outcome
  }
}
