import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../src/dapr/testing/harness'

let harness: Harness
afterEach(async () => harness?.close())

/** Dapr's error body. */
type DaprError = { errorCode: string; message: string }

async function save(sidecarUrl: string, items: unknown[], store = 'statestore') {
  return fetch(`${sidecarUrl}/v1.0/state/${store}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(items),
  })
}

describe('local Dapr sidecar: state API', () => {
  it('when a value is saved, then GET returns it as JSON with an ETag; an absent key gives 204', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('expiration', await harness.app())

    const saved = await save(sidecar.url, [{ key: 'order-o1', value: { status: 'scheduled', version: 2 } }])
    const found = await fetch(`${sidecar.url}/v1.0/state/statestore/order-o1`)
    const absent = await fetch(`${sidecar.url}/v1.0/state/statestore/nothing`)

    expect(saved.status).toBe(204)
    expect(found.status).toBe(200)
    expect(found.headers.get('etag')).toMatch(/^\d+$/)
    expect(await found.json()).toEqual({ status: 'scheduled', version: 2 })
    expect(absent.status).toBe(204)
    expect(await absent.text()).toBe('')
  })

  it('when a save carries a stale ETag, then it answers 409 ERR_STATE_SAVE and keeps the value', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('expiration', await harness.app())
    await save(sidecar.url, [{ key: 'k', value: 1 }])
    const etag = (await fetch(`${sidecar.url}/v1.0/state/statestore/k`)).headers.get('etag')!
    await save(sidecar.url, [{ key: 'k', value: 2, etag, options: { concurrency: 'first-write' } }])

    const stale = await save(sidecar.url, [{ key: 'k', value: 3, etag, options: { concurrency: 'first-write' } }])
    const wrong = await save(sidecar.url, [{ key: 'k', value: 4, etag: 'nope' }])

    expect([stale.status, wrong.status]).toEqual([409, 409])
    expect(((await stale.json()) as DaprError).errorCode).toBe('ERR_STATE_SAVE')
    expect(await (await fetch(`${sidecar.url}/v1.0/state/statestore/k`)).json()).toBe(2)
  })

  it('when first-write saves an existing key without ETag, then 500 ERR_STATE_SAVE, as daprd on Redis answers; a new key is accepted', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('expiration', await harness.app())
    const options = { concurrency: 'first-write' }

    const created = await save(sidecar.url, [{ key: 'k', value: 'a', options }])
    const conflict = await save(sidecar.url, [{ key: 'k', value: 'b', options }])

    expect([created.status, conflict.status]).toEqual([204, 500])
    expect(((await conflict.json()) as DaprError).errorCode).toBe('ERR_STATE_SAVE')
  })

  it('when DELETE carries If-Match, then a wrong ETag gives 409 and the right one deletes', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('expiration', await harness.app())
    await save(sidecar.url, [{ key: 'k', value: 'v' }])
    const etag = (await fetch(`${sidecar.url}/v1.0/state/statestore/k`)).headers.get('etag')!
    const url = `${sidecar.url}/v1.0/state/statestore/k`

    const wrong = await fetch(url, { method: 'DELETE', headers: { 'if-match': 'nope' } })
    const right = await fetch(url, { method: 'DELETE', headers: { 'if-match': etag } })
    const absent = await fetch(url, { method: 'DELETE' })

    expect([wrong.status, right.status, absent.status]).toEqual([409, 204, 204])
    expect((await fetch(url)).status).toBe(204)
  })

  it('when two app-ids use the same key, then each sees only its own value', async () => {
    harness = createHarness()
    const orders = await harness.sidecar('orders', await harness.app())
    const payments = await harness.sidecar('payments', await harness.app())

    await save(orders.url, [{ key: 'k', value: 'orders' }])
    const fromPayments = await fetch(`${payments.url}/v1.0/state/statestore/k`)
    await save(payments.url, [{ key: 'k', value: 'payments' }])

    expect(fromPayments.status).toBe(204)
    expect(await (await fetch(`${orders.url}/v1.0/state/statestore/k`)).json()).toBe('orders')
    expect(await (await fetch(`${payments.url}/v1.0/state/statestore/k`)).json()).toBe('payments')
  })

  it('when the store name is unknown, then it answers 400 ERR_STATE_STORE_NOT_FOUND', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('orders', await harness.app())

    const response = await save(sidecar.url, [{ key: 'k', value: 1 }], 'redis')

    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ errorCode: 'ERR_STATE_STORE_NOT_FOUND', message: 'state store redis is not found' })
  })
})
