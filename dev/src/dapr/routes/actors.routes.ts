import { Hono } from 'hono'
import { z } from 'zod'
import { invokeActor } from '../app-channel'
import { InvalidScheduleError } from '../due-time'
import type { ReminderSpec } from '../reminders'
import type { SidecarContext } from '../sidecar-context'
import { daprError, readJson } from './dapr-error'

const REMINDER = '/v1.0/actors/:type/:id/reminders/:name'

const reminderBodySchema = z.object(
  {
    dueTime: z.string('dueTime must be a string').default(''),
    period: z.string('period must be a string').default(''),
    data: z.unknown().optional(),
  },
  'the body must be a JSON object',
)

/** The reminder to register, or the message explaining the first thing wrong with the body. */
function parseReminderBody(body: unknown): ReminderSpec | string {
  const parsed = reminderBodySchema.safeParse(body)
  return parsed.success ? parsed.data : parsed.error.issues[0]!.message
}

/** Actor reminders (kept by the broker, fired on the app that hosts the type) and actor method calls. */
export function actorRoutes(ctx: SidecarContext): Hono {
  const { reminders } = ctx.broker
  return new Hono()
    // Like daprd: only a sidecar whose app hosts the actor type handles its reminders.
    .use(REMINDER, async (c, next) => {
      if (ctx.discovery?.actorTypes.includes(c.req.param('type'))) return next()
      return c.json({ errorCode: 'ERR_ACTOR_REMINDER_NON_HOSTED', message: 'operations on actor reminders are only possible on hosted actor types' }, 403)
    })
    .on(['POST', 'PUT'], REMINDER, async (c) => {
      const { type, id, name } = c.req.param()
      const body = await readJson(c)
      const spec = body.ok ? parseReminderBody(body.value) : 'the body is not valid JSON'
      if (typeof spec === 'string') return daprError(c, 400, 'ERR_MALFORMED_REQUEST', spec)
      try {
        reminders.set(type, id, name, spec)
      } catch (error) {
        if (!(error instanceof InvalidScheduleError)) throw error
        return daprError(c, 500, 'ERR_ACTOR_REMINDER_CREATE', `error creating actor reminder: ${error.message}`)
      }
      return c.body(null, 204)
    })
    .get(REMINDER, (c) => {
      const { type, id, name } = c.req.param()
      const spec = reminders.get(type, id, name)
      if (!spec) return daprError(c, 404, 'ERR_ACTOR_REMINDER_GET', `reminder ${name} not found for actor ${type}/${id}`)
      return c.json({ dueTime: spec.dueTime, period: spec.period, data: spec.data ?? null })
    })
    .delete(REMINDER, (c) => {
      const { type, id, name } = c.req.param()
      reminders.delete(type, id, name)
      return c.body(null, 204)
    })
    .on(['GET', 'POST', 'PUT', 'DELETE'], '/v1.0/actors/:type/:id/method/:method{.+}', async (c) => {
      const { type, id, method } = c.req.param()
      const host = ctx.broker.actorHost(type)?.appUrl
      if (!host) return daprError(c, 500, 'ERR_ACTOR_INVOKE_METHOD', `no app hosts the actor type ${type}`)
      const answer = await invokeActor(
        host,
        { actorType: type, actorId: id, method: [method] },
        { body: c.req.method === 'GET' ? undefined : await c.req.arrayBuffer(), contentType: c.req.header('content-type') },
      )
      const contentType = answer.headers.get('content-type')
      return new Response(await answer.arrayBuffer(), {
        status: answer.status,
        headers: contentType ? { 'content-type': contentType } : {},
      })
    })
}
