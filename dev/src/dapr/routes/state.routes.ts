import { Hono, type Context } from 'hono'
import type { SidecarContext } from '../sidecar-context'
import { EtagMismatchError, type Concurrency } from '../state-store'
import { daprError, readJson } from './dapr-error'

interface SaveItem {
  key: string
  value: unknown
  etag?: string
  concurrency?: Concurrency
}

function parseSaveItems(body: unknown): SaveItem[] | string {
  if (!Array.isArray(body)) return 'the body must be a JSON array of {key, value}'
  const items: SaveItem[] = []
  for (const raw of body as Array<Record<string, unknown> | null>) {
    if (!raw || typeof raw.key !== 'string' || raw.key === '') return 'every item needs a non-empty string key'
    const options = (raw.options ?? {}) as { concurrency?: unknown }
    const concurrency = options.concurrency
    if (concurrency !== undefined && concurrency !== 'first-write' && concurrency !== 'last-write') {
      return `unknown concurrency "${String(concurrency)}" for key ${raw.key}`
    }
    const etag = raw.etag === undefined || raw.etag === null ? undefined : String(raw.etag)
    items.push({ key: raw.key, value: raw.value, etag, concurrency })
  }
  return items
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
          if (!(error instanceof EtagMismatchError)) throw error
          return daprError(c, 409, 'ERR_STATE_SAVE', `failed saving state in state store ${store}: ${error.message}`)
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
