import { z } from 'zod'
import type { ExpirationStore } from './expirations.store'

const recordSchema = z.object({
  version: z.number().int().positive(),
  status: z.enum(['created', 'cancelled', 'complete', 'expired']),
})

const daprErrorSchema = z.object({ errorCode: z.string() })

/**
 * Whether a failed save means another writer got there first. A stale ETag is 409; on Redis, a
 * first-write save of a key that exists (without an ETag, or of a key created by first-write) is
 * 500 ERR_STATE_SAVE instead. The store failing mid-save answers the same and is read as a lost
 * race too: the read that follows fails on its own if the store is down, and updateRecord gives up
 * after a few lost races.
 */
function lostRace(status: number, body: string): boolean {
  if (status === 409) return true
  if (status !== 500) return false
  try {
    return daprErrorSchema.safeParse(JSON.parse(body)).data?.errorCode === 'ERR_STATE_SAVE'
  } catch {
    return false
  }
}

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
      if (res.ok) return true
      const body = await res.text()
      if (lostRace(res.status, body)) return false
      throw new Error(`saving state ${orderId} answered ${res.status}: ${body}`)
    },
  }
}
