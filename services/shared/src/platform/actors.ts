import { Hono } from 'hono'
import type { Logger } from './logger'

export type ReminderHandler = (actorId: string, reminderName: string, data: unknown) => Promise<void>

/**
 * The routes the sidecar calls on an actor host. Dapr treats any status but exactly 200 as an error,
 * so every success answers 200, and a failing reminder answers 500 to be fired again.
 * @example app.route('/', createActorHost({ entities: { OrderExpiration: { onReminder } }, logger }))
 */
export function createActorHost(options: { entities: Record<string, { onReminder: ReminderHandler }>; logger: Logger; actorIdleTimeout?: string }) {
  const app = new Hono()
  const { entities } = options

  app.get('/dapr/config', (c) =>
    c.json({
      entities: Object.keys(entities),
      actorIdleTimeout: options.actorIdleTimeout ?? '1h',
      // Dapr clamps a drain at or above its 30 s placement dissemination timeout down to 24 s (and
      // warns); 20 s is honoured as written.
      drainOngoingCallTimeout: '20s',
      drainRebalancedActors: true,
    }),
  )

  app.put('/actors/:type/:id/method/remind/:name', async (c) => {
    const entity = entities[c.req.param('type')]
    if (!entity) return c.json({ error: 'unknown actor type' }, 404)
    const body = (await c.req.json().catch(() => ({}))) as { data?: unknown }
    const [type, id, name] = [c.req.param('type'), c.req.param('id'), c.req.param('name')]
    try {
      await entity.onReminder(id, name, body.data)
      return c.body(null, 200)
    } catch (err) {
      options.logger.warn({ err, actorType: type, actorId: id, reminder: name }, 'reminder failed; the sidecar fires it again')
      return c.json({ error: 'reminder failed' }, 500)
    }
  })

  // Actors here have no methods of their own: they only react to reminders.
  app.put('/actors/:type/:id/method/:method', (c) => c.json({ error: 'unknown actor method' }, 404))
  app.delete('/actors/:type/:id', (c) => c.body(null, 200))
  return app
}

export type Reminders = {
  schedule(actorType: string, actorId: string, name: string, reminder: { dueTime: string; data?: unknown }): Promise<void>
  cancel(actorType: string, actorId: string, name: string): Promise<void>
}

/**
 * Registers and deletes actor reminders through the sidecar's HTTP API (`@dapr/dapr` has no public client for it).
 * @example await createReminders({ daprUrl }).schedule('OrderExpiration', orderId, 'expire', { dueTime: expiresAt })
 */
export function createReminders(options: { daprUrl: string }): Reminders {
  const path = (type: string, id: string, name: string) =>
    `${options.daprUrl}/v1.0/actors/${encodeURIComponent(type)}/${encodeURIComponent(id)}/reminders/${encodeURIComponent(name)}`
  const send = async (url: string, init: RequestInit) => {
    const res = await fetch(url, init)
    if (!res.ok) throw new Error(`${init.method} ${url} answered ${res.status}: ${await res.text()}`)
  }
  return {
    schedule: (type, id, name, { dueTime, data }) =>
      send(path(type, id, name), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ dueTime, period: '', data }),
      }),
    cancel: (type, id, name) => send(path(type, id, name), { method: 'DELETE' }),
  }
}
