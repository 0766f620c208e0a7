import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { jsonResponse, notFound, problemResponse, validationHook } from '@ticketing/shared/platform'
import { requireUser } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { UserSchema } from './schemas'

const me = createRoute({
  method: 'get', path: '/me',
  responses: { 200: jsonResponse(UserSchema, 'The signed-in person'), 401: problemResponse('Not signed in'), 404: problemResponse('No profile') },
})

/** `/api/users` routes: what the ingress exposes. */
export function usersRoutes(deps: Deps) {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  app.use('/me', requireUser(deps.identify))
  app.openapi(me, async (c) => {
    const user = await deps.store.get(c.var.user.id)
    if (!user) throw notFound('User')
    return c.json(user, 200)
  })
  return app
}
