import type { Identify, User } from '../platform/auth'
import { createLogger } from '../platform/logger'

/** A logger that writes nothing, for tests. */
export const silentLogger = () => createLogger({ name: 'test', level: 'silent' })

/**
 * Stands in for Kratos at the edge of a component test: a session token names a user.
 * @example const identify = tokenIdentify({ 'token-ann': { id: 'ann', email: 'ann@example.com' } })
 */
export function tokenIdentify(users: Record<string, User>): Identify {
  return async ({ sessionToken }) => (sessionToken ? users[sessionToken] ?? null : null)
}

/** Resolves when `check` passes, polling briefly; throws with the last value otherwise. */
export async function eventually<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000)
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20))
    }
  }
}

/**
 * Delivers an event to an app as the Dapr sidecar does (a CloudEvent on the topic's route) and returns the
 * app's answer: 'SUCCESS', 'RETRY' or 'DROP'.
 * @example expect(await deliverEvent(app, 'order.created', orderCreatedExample)).toBe('SUCCESS')
 */
export async function deliverEvent(
  app: { request(path: string, init: RequestInit): Response | Promise<Response> },
  topic: string,
  data: unknown,
  id: string = crypto.randomUUID(),
  /** More CloudEvent attributes, such as the publisher's `traceparent`. */
  attributes: Record<string, unknown> = {},
): Promise<string> {
  const res = await app.request(`/events/${topic}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/cloudevents+json' },
    body: JSON.stringify({
      id, source: 'test', type: 'com.dapr.event.sent', specversion: '1.0', datacontenttype: 'application/json', topic, pubsubname: 'pubsub', data,
      ...attributes,
    }),
  })
  return ((await res.json()) as { status: string }).status
}
