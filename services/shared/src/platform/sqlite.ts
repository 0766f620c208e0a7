import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { Outbox, OutboxEvent } from './outbox'

export type { DatabaseSync } from 'node:sqlite'

/**
 * Opens (creating it and its folder) the SQLite database of a service: a file, or `:memory:` for tests.
 * WAL with full syncs: a commit is on disk before the write is answered, so SIGKILL or a power cut loses
 * nothing acknowledged. The outbox table is created here, beside the service's own tables.
 * @example const db = openSqlite('.data/tickets.db')
 */
export function openSqlite(file: string): DatabaseSync {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new DatabaseSync(file)
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    PRAGMA busy_timeout = 5000;
    PRAGMA foreign_keys = ON;
    CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      doc_key TEXT NOT NULL,
      id TEXT NOT NULL,
      topic TEXT NOT NULL,
      data TEXT NOT NULL,
      traceparent TEXT,
      unpublishable INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (unpublishable, doc_key, seq);
  `)
  return db
}

/**
 * Opens `<dataDir>/<name>.db`, the database one part of the marketplace keeps under the data directory;
 * `dataDir` `:memory:` keeps it in memory (tests).
 * @example const db = openDataFile('.data', 'kratos') // .data/kratos.db
 */
export const openDataFile = (dataDir: string, name: string): DatabaseSync =>
  openSqlite(dataDir === ':memory:' ? ':memory:' : join(dataDir, `${name}.db`))

/**
 * Runs `fn` in one transaction: all of its writes, or none. `node:sqlite` is synchronous, so nothing else in
 * this process runs in between; BEGIN IMMEDIATE keeps another process out too.
 * @example transaction(db, () => { insert.run(...); addToOutbox(db, id, events) })
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = fn()
    db.exec('COMMIT')
    return result
  } catch (err) {
    db.exec('ROLLBACK')
    throw err
  }
}

/**
 * Runs `write` (a statement or a `transaction`) with a commit that is not flushed to disk on its own: the WAL keeps
 * it through a crash of the process, and the next flushed commit of this database takes it to disk with it; only a
 * power cut before then can undo it. For writes whose undoing is safe to redo, and only those: forgetting that a
 * message was delivered or an event published means one more delivery, which every consumer ignores by version.
 * Afterwards the database is back at `openSqlite`'s full syncs.
 * @example withoutFlush(db, () => removeDelivered.run(seq))
 */
export function withoutFlush<T>(db: DatabaseSync, write: () => T): T {
  db.exec('PRAGMA synchronous = NORMAL')
  try {
    return write()
  } finally {
    db.exec('PRAGMA synchronous = FULL')
  }
}

// Compiled once per database, not on every write.
const outboxInserts = new WeakMap<DatabaseSync, StatementSync>()

/**
 * Writes a document's events to the outbox; call it inside the transaction that writes the document.
 * @example transaction(db, () => { updateTicket.run(...); addToOutbox(db, ticket.id, events) })
 */
export function addToOutbox(db: DatabaseSync, key: string, events: OutboxEvent[]): void {
  const insert = outboxInserts.get(db) ?? db.prepare('INSERT INTO outbox (doc_key, id, topic, data, traceparent) VALUES (?, ?, ?, ?, ?)')
  outboxInserts.set(db, insert)
  for (const e of events) insert.run(key, e.id, e.topic, JSON.stringify(e.data), e.traceparent ?? null)
}

type OutboxRow = { doc_key: string; id: string; topic: string; data: string; traceparent: string | null }

/**
 * The outbox half of an SQLite store: pending events by document key, in the order they were written.
 * @example return { ...ticketsMethods, ...sqliteOutbox(db) }
 */
export function sqliteOutbox(db: DatabaseSync): Outbox {
  const keys = db.prepare('SELECT DISTINCT doc_key FROM outbox WHERE unpublishable = 0 AND doc_key > ? ORDER BY doc_key LIMIT ?')
  const eventsOf = db.prepare('SELECT doc_key, id, topic, data, traceparent FROM outbox WHERE unpublishable = 0 AND doc_key = ? ORDER BY seq')
  const take = (sql: string) => {
    const statement = db.prepare(sql)
    return (key: string, events: OutboxEvent[]) =>
      transaction(db, () => {
        for (const e of events) statement.run(key, e.id)
      })
  }
  const remove = take('DELETE FROM outbox WHERE unpublishable = 0 AND doc_key = ? AND id = ?')
  const putAside = take('UPDATE outbox SET unpublishable = 1 WHERE doc_key = ? AND id = ?')
  return {
    async pending(limit, after) {
      const page = keys.all(after ?? '', limit) as Array<{ doc_key: string }>
      return page.map(({ doc_key }) => ({
        key: doc_key,
        events: (eventsOf.all(doc_key) as OutboxRow[]).map((row) => ({
          id: row.id,
          topic: row.topic as OutboxEvent['topic'],
          data: JSON.parse(row.data) as object,
          ...(row.traceparent ? { traceparent: row.traceparent } : {}),
        })),
      }))
    },
    // A published event that is still listed is published again, with the same id: safe to forget.
    markSent: async (key, events) => withoutFlush(db, () => remove(key, events)),
    setAside: async (key, events) => putAside(key, events),
  }
}
