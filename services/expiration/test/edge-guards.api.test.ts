import { describe, expect, it } from 'vitest'
import { orderCreatedExample } from '@ticketing/shared/contracts'
import { deliverEvent, silentLogger } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import type { ExpirationStore, StoredRecord } from '../src/storage/expirations.store'

// Issue 8: the body limit on the routes the Dapr sidecar calls.
function appInMemory() {
  const records = new Map<string, StoredRecord>()
  const store: ExpirationStore = {
    async get(orderId) {
      return records.get(orderId) ?? null
    },
    async put(orderId, record) {
      records.set(orderId, { record, etag: String(records.size + 1) })
      return true
    },
  }
  return createApp({
    store, reminders: { async schedule() {}, async cancel() {} }, publisher: { async publish() {} }, logger: silentLogger(), pubsubName: 'pubsub',
  })
}

describe('expiration: request bodies', () => {
  it('when the sidecar is sent an event over 64 KiB, then 413 payload-too-large', async () => {
    const res = await appInMemory().request('/events/order.created', {
      method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify({ id: 'e1', data: 'x'.repeat(65 * 1024) }),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload-too-large' })
  })

  it('when an order event arrives at its usual size, then it is handled', async () => {
    expect(await deliverEvent(appInMemory(), 'order.created', { ...orderCreatedExample, id: 'o-edge' })).toBe('SUCCESS')
  })
})
