import { OpenAPIHono, z } from '@hono/zod-openapi'
import { createActorHost, type ReminderHandler } from './actors'
import { problemErrorHandler, problemNotFound } from './errors'
import { requestLogger, type Logger } from './logger'
import { limitBody, refuseCrossSiteWrites } from './request-guards'
import { createSubscriptionRouter, type Subscription } from './subscriptions'

/** The problem document every error answers with. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string().openapi({ description: 'Stable kebab-case code' }),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem')

export const IdParam = z.object({ id: z.string().min(1).max(128) })

/** A JSON response of `schema`, for `createRoute`'s `responses`. */
export const jsonResponse = <S>(schema: S, description: string) => ({ content: { 'application/json': { schema } }, description })

/** A problem response, for `createRoute`'s `responses`. */
export const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: Problem } }, description })

/** A required JSON request body of `schema`, for `createRoute`'s `request`. */
export const jsonBody = <S>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } })

/**
 * The frame every service shares: problem errors, request logs, a body limit, no cookie-authenticated writes
 * from other origins' pages (`allowedOrigins`: the app's own, from ALLOWED_ORIGINS), `/healthz`, the
 * routes the Dapr sidecar calls, and the OpenAPI document at `/api/<path>/openapi.json`. Mount the
 * service's routes on it.
 * @example const app = createServiceApp({ appId: 'tickets', path: 'tickets', title: 'Tickets', logger, pubsubName, subscriptions })
 */
export function createServiceApp(options: {
  appId: string
  path: string
  title: string
  description?: string
  logger: Logger
  pubsubName?: string
  subscriptions?: Subscription[]
  actors?: Record<string, { onReminder: ReminderHandler }>
  allowedOrigins?: readonly string[]
}) {
  const { appId, logger } = options
  const app = new OpenAPIHono()
  app.onError(problemErrorHandler(logger))
  app.notFound(problemNotFound)
  app.use(requestLogger(logger))
  app.use(limitBody())
  // Here rather than in requireUser: before any route reads the body or asks Kratos, and for every route,
  // including any that someday reads the cookie without requireUser.
  app.use(refuseCrossSiteWrites({ allowedOrigins: options.allowedOrigins }))
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  if (options.subscriptions) {
    app.route('/', createSubscriptionRouter({ appId, pubsubName: options.pubsubName ?? 'pubsub', subscriptions: options.subscriptions, logger }))
  }
  if (options.actors) app.route('/', createActorHost({ entities: options.actors, logger }))
  // Registered before the service's routes, so a `/{id}` route does not swallow the document's path.
  app.doc31(`/api/${options.path}/openapi.json`, {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', ...(options.description ? { description: options.description } : {}) },
  })
  return app
}
