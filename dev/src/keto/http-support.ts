import type { Context, Hono } from 'hono'
import { badRequest, KetoError } from './keto-errors'

/** Health endpoints both Keto ports serve, and Keto's error rendering. */
export function withKetoBasics(app: Hono): Hono {
  app.get('/health/alive', (c) => c.json({ status: 'ok' }))
  app.get('/health/ready', (c) => c.json({ status: 'ok' }))
  app.notFound((c) => c.json(new KetoError(404, 'The requested resource could not be found').toJSON(), 404))
  app.onError((error, c) => {
    if (error instanceof KetoError) return c.json(error.toJSON(), error.code)
    return c.json({ error: { code: 500, status: 'Internal Server Error', message: 'An internal server error occurred, please contact the system administrator' } }, 500)
  })
  return app
}

/** The request's query string as URLSearchParams (repeated keys kept, first one wins on get). */
export function searchParams(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams
}

/** Parses the body as JSON; a malformed body is Keto's 400. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw badRequest(`could not unmarshal json: ${(error as Error).message}`)
  }
}

/** Keto's `max-depth` query parameter; absent means "use the global maximum" (0). */
export function maxDepthFrom(params: URLSearchParams): number {
  const raw = params.get('max-depth')
  if (raw === null) return 0
  if (!/^[+-]?\d+$/.test(raw.trim()))
    throw badRequest(`unable to parse 'max-depth' query parameter to int: strconv.ParseInt: parsing "${raw}": invalid syntax`)
  return Number.parseInt(raw, 10)
}
