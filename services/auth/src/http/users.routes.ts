import { timingSafeEqual } from 'node:crypto'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError, notFound, requireUser, validationHook } from '@ticketing/shared/platform'
import type { MiddlewareHandler } from 'hono'
import type { Deps } from '../deps'

const UserSchema = z.object({ id: z.string(), email: z.string(), createdAt: z.string() }).openapi('User')
// What ory/kratos/registration-webhook.jsonnet sends.
const RegistrationHookBody = z.object({ identityId: z.string().uuid(), email: z.email(), flowId: z.string().optional() })

const me = createRoute({
  method: 'get', path: '/me',
  responses: { 200: { content: { 'application/json': { schema: UserSchema } }, description: 'The signed-in person' }, 401: { description: 'Not signed in' } },
})
const registered = createRoute({
  method: 'post', path: '/hooks/registration',
  request: { body: { content: { 'application/json': { schema: RegistrationHookBody } }, required: true } },
  responses: { 200: { content: { 'application/json': { schema: UserSchema } }, description: 'Profile created (or already there)' }, 401: { description: 'Wrong web-hook key' } },
})

/** Only Kratos knows the shared key; compare in constant time. */
function webhookKey(expected: string): MiddlewareHandler {
  return async function requireWebhookKey(c, next) {
    const given = Buffer.from(c.req.header('x-webhook-key') ?? '')
    const wanted = Buffer.from(expected)
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new AppError('bad-webhook-key', 401, 'The web-hook key is missing or wrong')
    }
    await next()
  }
}

/** `/api/users` routes. */
export function usersRoutes(deps: Deps) {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  app.use('/me', requireUser(deps.identify))
  app.use('/hooks/*', webhookKey(deps.webhookApiKey))

  app.openapi(me, async (c) => {
    const user = await deps.store.get(c.var.user.id)
    if (!user) throw notFound('User')
    return c.json(user, 200)
  })
  app.openapi(registered, async (c) => {
    const { identityId, email } = c.req.valid('json')
    const user = await deps.store.createOnce({ id: identityId, email: email.toLowerCase(), createdAt: deps.clock().toISOString() })
    c.var.log.info({ userId: user.id }, 'user profile created')
    return c.json(user, 200)
  })
  return app
}
