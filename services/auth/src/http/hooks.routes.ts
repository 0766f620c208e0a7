import { timingSafeEqual } from 'node:crypto'
import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { AppError, jsonBody, jsonResponse, problemResponse, validationHook } from '@ticketing/shared/platform'
import type { MiddlewareHandler } from 'hono'
import type { Deps } from '../deps'
import { RegistrationHookBody, UserSchema } from './schemas'

const registered = createRoute({
  method: 'post', path: '/registration', request: jsonBody(RegistrationHookBody),
  responses: {
    200: jsonResponse(UserSchema, 'Profile created (or already there)'),
    400: problemResponse('Not what the Jsonnet template sends'), 401: problemResponse('Wrong web-hook key'),
  },
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

/**
 * `/hooks` routes, called by Kratos inside the cluster. They sit outside `/api/users`, so the ingress
 * never exposes them; the shared key is a second guard.
 */
export function hooksRoutes(deps: Deps) {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  app.use('*', webhookKey(deps.webhookApiKey))
  app.openapi(registered, async (c) => {
    const { identityId, email } = c.req.valid('json')
    const user = await deps.store.createOnce({ id: identityId, email: email.toLowerCase(), createdAt: deps.clock().toISOString() })
    c.var.log.info({ userId: user.id }, 'user profile created')
    return c.json(user, 200)
  })
  return app
}
