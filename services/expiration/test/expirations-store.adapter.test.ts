import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBroker, startSidecar, type Broker, type Sidecar } from '@ticketing/dev/dapr'
import { listen, type RunningServer } from '@ticketing/shared/platform'
import { createDaprExpirationStore } from '../src/storage/expirations.dapr'
import type { ExpirationStore } from '../src/storage/expirations.store'

const quiet = { info() {}, warn() {}, error() {} }
let broker: Broker
let app: RunningServer
let sidecar: Sidecar
beforeAll(async () => {
  broker = createBroker({ logger: quiet })
  // The sidecar only needs an app that answers HTTP; the state API is all this suite uses.
  app = await listen(new Hono().get('/', (c) => c.text('ok')), { port: 0 })
  sidecar = await startSidecar({ appId: 'expiration', appUrl: app.url, broker })
})
afterAll(async () => {
  await broker?.close()
  await sidecar?.close()
  await app?.close()
})

// vitest types its asymmetric matchers `any`; as `unknown` one can stand for a field of an expected record.
const anyString: unknown = expect.any(String)

let n = 0
const freshId = () => `ord_${Date.now().toString(36)}_${++n}`

const adapters: Array<[string, () => ExpirationStore]> = [
  ['Dapr state API', () => createDaprExpirationStore({ daprUrl: sidecar.url, storeName: 'statestore' })],
]

describe.each(adapters)('expiration store contract: %s', (_, createStore) => {
  const created = { version: 1, status: 'created' } as const
  const cancelled = { version: 2, status: 'cancelled' } as const

  it('when nothing was written, then get answers null', async () => {
    expect(await createStore().get(freshId())).toBeNull()
  })

  it('when the first record is written without an ETag, then it reads back with an ETag', async () => {
    const store = createStore()
    const id = freshId()
    expect(await store.put(id, created)).toBe(true)
    expect(await store.get(id)).toEqual({ record: created, etag: anyString })
  })

  it('when a record exists, then a write without its ETag loses (first write wins)', async () => {
    const store = createStore()
    const id = freshId()
    await store.put(id, created)
    expect(await store.put(id, cancelled)).toBe(false)
    expect((await store.get(id))?.record).toEqual(created)
  })

  it('when written with the ETag it was read with, then it is replaced and the ETag changes', async () => {
    const store = createStore()
    const id = freshId()
    await store.put(id, created)
    const read = await store.get(id)
    expect(await store.put(id, cancelled, read!.etag)).toBe(true)
    const after = await store.get(id)
    expect(after?.record).toEqual(cancelled)
    expect(after?.etag).not.toBe(read!.etag)
  })

  it('when two writers start from the same read, then exactly one wins', async () => {
    const store = createStore()
    const id = freshId()
    await store.put(id, created)
    const { etag } = (await store.get(id))!
    const results = await Promise.all([
      store.put(id, cancelled, etag),
      store.put(id, { version: 2, status: 'complete' }, etag),
    ])
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('when written with an ETag but nothing is stored, then it loses', async () => {
    expect(await createStore().put(freshId(), created, '42')).toBe(false)
  })

  it('when two orders are written, then each keeps its own record', async () => {
    const store = createStore()
    const [a, b] = [freshId(), freshId()]
    await store.put(a, created)
    await store.put(b, cancelled)
    expect((await store.get(a))?.record).toEqual(created)
    expect((await store.get(b))?.record).toEqual(cancelled)
  })
})

describe('Dapr state adapter', () => {
  it('when the state store is not configured on the sidecar, then reads and writes throw', async () => {
    const store = createDaprExpirationStore({ daprUrl: sidecar.url, storeName: 'nope' })
    await expect(store.get('ord_1')).rejects.toThrow(/400/)
    await expect(store.put('ord_1', { version: 1, status: 'created' })).rejects.toThrow(/400/)
  })
})
