import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '@ticketing/shared/platform'
import { updateRecord } from '../src/domain/update-record'
import type { ExpirationRecord } from '../src/domain/expiration'
import { createDaprExpirationStore } from '../src/storage/expirations.dapr'

type SaveRequest = { key: string; value: unknown; etag?: string; options?: { concurrency?: string } }

/**
 * The state API of real daprd 1.18 over state.redis (DAPR.md, "Observed on real daprd"): a
 * first-write save of an existing key without an ETag is 500 ERR_STATE_SAVE, not 409; a stale ETag
 * is 409 ERR_STATE_SAVE. `nextAnswer` lets a test make one save fail another way.
 */
function fakeRedisStateApi() {
  const keys = new Map<string, { value: unknown; etag: number }>()
  let nextAnswer: { status: 400 | 500; body: string } | undefined
  const saveError = (status: 409 | 500, detail: string) =>
    Response.json({ errorCode: 'ERR_STATE_SAVE', message: `failed saving state in state store statestore: ${detail}` }, { status })

  const app = new Hono()
  app.get('/v1.0/state/statestore/:key', (c) => {
    const stored = keys.get(c.req.param('key'))
    if (!stored) return c.body(null, 204)
    return c.json(stored.value, 200, { ETag: String(stored.etag) })
  })
  app.post('/v1.0/state/statestore', async (c) => {
    if (nextAnswer) {
      const answer = nextAnswer
      nextAnswer = undefined
      return new Response(answer.body, { status: answer.status })
    }
    for (const save of await c.req.json<SaveRequest[]>()) {
      const stored = keys.get(save.key)
      if (save.etag !== undefined && stored?.etag !== Number(save.etag)) {
        return saveError(409, `possible etag mismatch. error from state store: ERR Error running script`)
      }
      if (save.etag === undefined && stored && save.options?.concurrency === 'first-write') {
        return saveError(500, `failed to set key ${save.key}: ERR Error running script`)
      }
      keys.set(save.key, { value: save.value, etag: (stored?.etag ?? 0) + 1 })
    }
    return c.body(null, 204)
  })
  return {
    app,
    keys,
    failNextSave(answer: { status: 400 | 500; body: string }) {
      nextAnswer = answer
    },
  }
}

const created: ExpirationRecord = { version: 1, status: 'created' }
const cancelled: ExpirationRecord = { version: 2, status: 'cancelled' }

describe('Dapr expiration store against the state API answers of real daprd on Redis', () => {
  const fake = fakeRedisStateApi()
  let server: RunningServer
  beforeAll(async () => {
    server = await listen(fake.app, { port: 0 })
  })
  afterAll(async () => {
    await server?.close()
  })
  beforeEach(() => {
    fake.keys.clear()
  })
  const store = () => createDaprExpirationStore({ daprUrl: server.url, storeName: 'statestore' })

  it('when a first write without an ETag meets an existing key (500 ERR_STATE_SAVE), then put answers false and the record stays', async () => {
    expect(await store().put('o1', created)).toBe(true)

    expect(await store().put('o1', cancelled)).toBe(false)
    expect(await store().get('o1')).toEqual({ record: created, etag: '1' })
  })

  it('when the ETag is stale (409 ERR_STATE_SAVE), then put answers false and the record stays', async () => {
    await store().put('o1', created)
    await store().put('o1', cancelled, '1')

    expect(await store().put('o1', { version: 3, status: 'expired' }, '1')).toBe(false)
    expect(await store().get('o1')).toEqual({ record: cancelled, etag: '2' })
  })

  it('when another writer creates the record between the read and the write, then updateRecord reads again and decides on its record', async () => {
    const seen: Array<ExpirationRecord | null> = []
    const decision = await updateRecord(store(), 'o1', (current) => {
      seen.push(current)
      // The other writer lands its first record after this read.
      if (seen.length === 1) fake.keys.set('o1', { value: created, etag: 1 })
      return current ? { record: cancelled, effect: { kind: 'unschedule' } } : { record: created, effect: { kind: 'none' } }
    })

    expect(seen).toEqual([null, created])
    expect(decision).toEqual({ record: cancelled, effect: { kind: 'unschedule' } })
    expect(await store().get('o1')).toEqual({ record: cancelled, etag: '2' })
  })

  it('when a save fails with a 500 that is not ERR_STATE_SAVE, then put throws with the answer', async () => {
    fake.failNextSave({ status: 500, body: 'upstream connect error' })

    await expect(store().put('o1', created)).rejects.toThrow('saving state o1 answered 500: upstream connect error')
  })

  it('when the store is unknown (400 ERR_STATE_STORE_NOT_FOUND), then put throws with the answer', async () => {
    fake.failNextSave({ status: 400, body: JSON.stringify({ errorCode: 'ERR_STATE_STORE_NOT_FOUND', message: 'state store statestore is not found' }) })

    await expect(store().put('o1', created)).rejects.toThrow('answered 400: {"errorCode":"ERR_STATE_STORE_NOT_FOUND"')
  })
})
