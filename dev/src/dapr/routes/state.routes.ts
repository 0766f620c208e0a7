import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { SidecarContext } from '../sidecar-context'
import { EtagMismatchError, FirstWriteConflictError } from '../state-store'
import { daprError, readJson } from './dapr-error'

const KEY_REQUIRED = 'every item needs a non-empty string key'
const concurrencySchema = z.enum(['first-write', 'last-write']).optional()

// zod 4 treats a missing key as an error even for z.unknown(), hence the explicit optional()s.
const saveItemSchema = z
  .object(
    {
      key: z.string(KEY_REQUIRED).min(1, KEY_REQUIRED),
      value: z.unknown().optional(),
      // Dapr's ETag is a string; the stand-in also takes a number or boolean and compares its text.
      etag: z
        .union([z.string(), z.number(), z.boolean()], 'etag must be a string')
        .nullish()
        .transform((etag) => (etag === undefined || etag === null ? undefined : String(etag))),
      // Options that are not an object are read as no options.
      options: z
        .preprocess(
          (options) => (options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {}),
          z.object({ concurrency: z.unknown().optional() }),
        )
        .optional(),
    },
    KEY_REQUIRED,
  )
  .transform(({ key, value, etag, options }, ctx) => {
    const concurrency = concurrencySchema.safeParse(options?.concurrency)
    if (concurrency.success) return { key, value, etag, concurrency: concurrency.data }
    ctx.addIssue({ code: 'custom', message: `unknown concurrency "${String(options?.concurrency)}" for key ${key}` })
    return z.NEVER
  })

const saveItemsSchema = z.array(saveItemSchema, 'the body must be a JSON array of {key, value}')

/** The items of a save request, or the message explaining the first thing wrong with it. */
function parseSaveItems(body: unknown): z.infer<typeof saveItemsSchema> | string {
  const parsed = saveItemsSchema.safeParse(body)
  return parsed.success ? parsed.data : parsed.error.issues[0]!.message
}

/** The state API (`/v1.0/state/{store}`); keys are prefixed `appid||key` like Dapr's default key prefix. */
export function stateRoutes(ctx: SidecarContext): Hono {
  const scoped = (key: string) => `${ctx.appId}||${key}`
  const unknownStore = (c: Context, store: string) =>
    daprError(c, 400, 'ERR_STATE_STORE_NOT_FOUND', `state store ${store} is not found`)

  return new Hono()
    .post('/v1.0/state/:store', async (c) => {
      const store = c.req.param('store')
      if (store !== ctx.stateStoreName) return unknownStore(c, store)
      const body = await readJson(c)
      const items = body.ok ? parseSaveItems(body.value) : 'the body is not valid JSON'
      if (typeof items === 'string') return daprError(c, 400, 'ERR_MALFORMED_REQUEST', items)
      const states = ctx.broker.stateStore(store)
      for (const item of items) {
        try {
          states.set(scoped(item.key), item.value, item.etag, item.concurrency)
        } catch (error) {
          if (!(error instanceof EtagMismatchError || error instanceof FirstWriteConflictError)) throw error
          const status = error instanceof EtagMismatchError ? 409 : 500
          return daprError(c, status, 'ERR_STATE_SAVE', `failed saving state in state store ${store}: ${error.message}`)
        }
      }
      return c.body(null, 204)
    })
    .get('/v1.0/state/:store/:key{.+}', (c) => {
      const { store, key } = c.req.param()
      if (store !== ctx.stateStoreName) return unknownStore(c, store)
      const item = ctx.broker.stateStore(store).get(scoped(key))
      if (!item) return c.body(null, 204)
      return c.body(JSON.stringify(item.value), 200, { 'content-type': 'application/json', etag: item.etag })
    })
    .delete('/v1.0/state/:store/:key{.+}', (c) => {
      const { store, key } = c.req.param()
      if (store !== ctx.stateStoreName) return unknownStore(c, store)
      try {
        ctx.broker.stateStore(store).delete(scoped(key), c.req.header('if-match') || undefined)
      } catch (error) {
        if (!(error instanceof EtagMismatchError)) throw error
        return daprError(c, 409, 'ERR_STATE_DELETE', `failed deleting state with key ${key}: ${error.message}`)
      }
      return c.body(null, 204)
    })
}
