import { z } from 'zod'
import type { ExpirationStore } from './expirations.store'

const recordSchema = z.object({
  version: z.number().int().positive(),
  status: z.enum(['created', 'cancelled', 'complete', 'expired']),
})

/**
 * Keeps records in a Dapr state store through the sidecar's state API (`/v1.0/state/{store}`),
 * every write `first-write` with the ETag it was read with, so concurrent writers cannot overwrite each other.
 */
export function createDaprExpirationStore(options: { daprUrl: string; storeName: string }): ExpirationStore {
  const base = `${options.daprUrl}/v1.0/state/${encodeURIComponent(options.storeName)}`
  const failed = async (what: string, res: Response) => new Error(`${what} answered ${res.status}: ${await res.text()}`)

  return {
    async get(orderId) {
      const res = await fetch(`${base}/${encodeURIComponent(orderId)}`)
      if (!res.ok) throw await failed(`reading state ${orderId}`, res)
      const text = await res.text()
      // 204, or an empty body: no such key.
      if (res.status === 204 || text === '') return null
      const etag = res.headers.get('etag')
      if (!etag) throw new Error(`state ${orderId} came without an ETag`)
      return { record: recordSchema.parse(JSON.parse(text)), etag }
    },
    async put(orderId, record, etag) {
      const res = await fetch(base, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([{ key: orderId, value: record, ...(etag ? { etag } : {}), options: { concurrency: 'first-write' } }]),
      })
      if (res.status === 409) return false
      if (!res.ok) throw await failed(`saving state ${orderId}`, res)
      return true
    },
  }
}
