import { Hono } from 'hono'
import { z } from 'zod'
import { topics, type EventOf, type Topic } from '../contracts'
import type { Logger } from './logger'
import { childTraceparent, traceIdOf, withTraceparent } from './trace'

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
  return { topic, handle }
}

/** Where the sidecar puts what an app gave up on: one topic per app, which the app itself keeps. */
export const deadLetterTopic = (appId: string) => `${appId}.dead-letter`
export const eventRoute = (topic: Topic) => `/events/${topic}`
const DEAD_LETTER_ROUTE = '/events/dead-letter'

const cloudEvent = z.object({
  id: z.string().min(1),
  data: z.unknown(),
  traceparent: z.string().optional(),
  topic: z.string().optional(),
  source: z.string().optional(),
})

type Outcome = 'SUCCESS' | 'RETRY' | 'DROP'

/**
 * The routes the Dapr sidecar calls: `GET /dapr/subscribe` and one POST route per topic.
 * A payload that breaks its contract is answered DROP (so it lands in the app's dead-letter topic);
 * a handler that throws is answered RETRY, so no accepted message is lost. The app subscribes to its
 * own dead-letter topic and logs each dead letter whole, with its id, for an operator to replay.
 * @example app.route('/', createSubscriptionRouter({ appId: 'tickets', pubsubName: 'pubsub', subscriptions, logger }))
 */
export function createSubscriptionRouter(options: { appId: string; pubsubName: string; subscriptions: Subscription[]; logger: Logger }) {
  const { pubsubName, subscriptions, logger } = options
  const deadLetters = deadLetterTopic(options.appId)
  const app = new Hono()

  app.get('/dapr/subscribe', (c) =>
    c.json([
      ...subscriptions.map(({ topic }) => ({
        pubsubname: pubsubName,
        topic,
        routes: { default: eventRoute(topic) },
        deadLetterTopic: deadLetters,
      })),
      ...(subscriptions.length ? [{ pubsubname: pubsubName, topic: deadLetters, routes: { default: DEAD_LETTER_ROUTE } }] : []),
    ]),
  )

  app.post(DEAD_LETTER_ROUTE, async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined)
    const envelope = cloudEvent.safeParse(body)
    // The envelope still names the topic it was first published to.
    logger.error(
      { eventId: envelope.data?.id ?? 'unknown', topic: envelope.data?.topic, source: envelope.data?.source, deadLetter: body },
      'dead letter: given up on, kept in this log for replay',
    )
    return c.json({ status: 'SUCCESS' })
  })

  for (const { topic, handle } of subscriptions) {
    app.post(eventRoute(topic), async (c) => {
      const envelope = cloudEvent.safeParse(await c.req.json().catch(() => undefined))
      const id = envelope.success ? envelope.data.id : 'unknown'
      // The handler runs in the publisher's trace, so the events it causes in turn carry it on.
      const traceparent = childTraceparent(envelope.data?.traceparent ?? c.req.header('traceparent'))
      const log = logger.child({ eventId: id, topic, traceId: traceIdOf(traceparent) })
      const outcome = await withTraceparent(traceparent, () => deliver(envelope.data?.data, envelope.success, topic, handle, { id, topic, log }))
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
