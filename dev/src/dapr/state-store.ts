/** Raised when a write or delete names a stale or unknown ETag (Dapr answers 409). */
export class EtagMismatchError extends Error {
  override name = 'EtagMismatchError'
}

/** The concurrency modes of Dapr's state API. */
export type Concurrency = 'first-write' | 'last-write'

/** One stored value and its ETag. */
export interface StateItem {
  value: unknown
  etag: string
}

/** An in-memory key/value store with ETags, behaving like Dapr's state.in-memory component. */
export interface StateStore {
  get(key: string): StateItem | undefined
  /** Throws EtagMismatchError when the ETag does not match, or on first-write without ETag over an existing key. */
  set(key: string, value: unknown, etag?: string, concurrency?: Concurrency): StateItem
  delete(key: string, etag?: string): void
}

/** Creates an empty state store. */
export function createStateStore(): StateStore {
  const items = new Map<string, StateItem>()
  let version = 0

  function check(key: string, etag: string | undefined, concurrency: Concurrency | undefined): void {
    const existing = items.get(key)
    if (etag) {
      if (!existing || existing.etag !== etag) {
        throw new EtagMismatchError(`possible etag mismatch. error from state store: key "${key}" has a different etag`)
      }
      return
    }
    if (concurrency === 'first-write' && existing) {
      throw new EtagMismatchError(`possible etag mismatch. error from state store: key "${key}" exists and first-write needs its etag`)
    }
  }

  return {
    get: (key) => items.get(key),
    set(key, value, etag, concurrency) {
      check(key, etag, concurrency)
      version += 1
      // Stored as JSON so later changes to the caller's object cannot leak in.
      const item = { value: JSON.parse(JSON.stringify(value ?? null)) as unknown, etag: String(version) }
      items.set(key, item)
      return item
    },
    delete(key, etag) {
      if (etag) check(key, etag, undefined)
      items.delete(key)
    },
  }
}
