import { transaction, type DatabaseSync } from '@ticketing/shared/sqlite'

/** Raised when a write or delete names a stale or unknown ETag (Dapr answers 409). */
export class EtagMismatchError extends Error {
  override name = 'EtagMismatchError'
}

/** Raised when a first-write save without an ETag meets an existing key (daprd on Redis answers 500 ERR_STATE_SAVE). */
export class FirstWriteConflictError extends Error {
  override name = 'FirstWriteConflictError'
}

/** The concurrency modes of Dapr's state API. */
export type Concurrency = 'first-write' | 'last-write'

/** One stored value and its ETag. */
export interface StateItem {
  value: unknown
  etag: string
}

/** A key/value store with ETags, behaving like Dapr's state.in-memory component. */
export interface StateStore {
  get(key: string): StateItem | undefined
  /** Throws EtagMismatchError when the ETag does not match, FirstWriteConflictError on first-write without ETag over an existing key. */
  set(key: string, value: unknown, etag?: string, concurrency?: Concurrency): StateItem
  delete(key: string, etag?: string): void
}

type ItemRow = { value: string; etag: string }

const toItem = (row: ItemRow): StateItem => ({ value: JSON.parse(row.value) as unknown, etag: row.etag })

/** The named state store, kept in SQLite with its ETags. */
export function createStateStore(db: DatabaseSync, name: string): StateStore {
  // ETags count up per store and the counter is kept, so an ETag read before a restart or a delete never matches again.
  db.exec(`
    CREATE TABLE IF NOT EXISTS state_items (
      store TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      etag TEXT NOT NULL,
      PRIMARY KEY (store, key)
    ) STRICT;
    CREATE TABLE IF NOT EXISTS state_versions (
      store TEXT NOT NULL PRIMARY KEY,
      version INTEGER NOT NULL
    ) STRICT;
  `)
  const byKey = db.prepare('SELECT value, etag FROM state_items WHERE store = ? AND key = ?')
  const nextVersion = db.prepare(`
    INSERT INTO state_versions (store, version) VALUES (?, 1)
    ON CONFLICT (store) DO UPDATE SET version = version + 1 RETURNING version`)
  const upsert = db.prepare('INSERT OR REPLACE INTO state_items (store, key, value, etag) VALUES (?, ?, ?, ?)')
  const remove = db.prepare('DELETE FROM state_items WHERE store = ? AND key = ?')

  function get(key: string): StateItem | undefined {
    const row = byKey.get(name, key) as ItemRow | undefined
    return row && toItem(row)
  }

  function check(key: string, etag: string | undefined, concurrency: Concurrency | undefined): void {
    const existing = get(key)
    if (etag) {
      if (!existing || existing.etag !== etag) {
        throw new EtagMismatchError(`possible etag mismatch. error from state store: key "${key}" has a different etag`)
      }
      return
    }
    if (concurrency === 'first-write' && existing) {
      throw new FirstWriteConflictError(`key "${key}" already exists and first-write needs its etag`)
    }
  }

  return {
    get,
    set: (key, value, etag, concurrency) =>
      transaction(db, () => {
        check(key, etag, concurrency)
        const { version } = nextVersion.get(name) as { version: number }
        const json = JSON.stringify(value ?? null)
        upsert.run(name, key, json, String(version))
        // A copy, so later changes to the caller's object cannot leak in.
        return { value: JSON.parse(json) as unknown, etag: String(version) }
      }),
    delete(key, etag) {
      transaction(db, () => {
        if (etag) check(key, etag, undefined)
        remove.run(name, key)
      })
    },
  }
}
