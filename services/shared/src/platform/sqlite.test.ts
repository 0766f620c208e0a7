import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { OutboxEvent } from './outbox'
import { addToOutbox, openSqlite, sqliteOutbox, transaction, withoutFlush } from './sqlite'

const dir = mkdtempSync(join(tmpdir(), 'ticketing-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const event = (id: string, traceparent?: string): OutboxEvent => ({ id, topic: 'expiration.completed', data: { orderId: id }, ...(traceparent ? { traceparent } : {}) })

describe('openSqlite', () => {
  it('when a file database is opened, then it is in WAL mode with full syncs, and what was committed is there after reopening', () => {
    const file = join(dir, 'nested', 'service.db')
    const db = openSqlite(file)
    db.exec('CREATE TABLE things (id TEXT PRIMARY KEY)')
    db.prepare('INSERT INTO things VALUES (?)').run('a')

    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 })
    db.close()
    const again = openSqlite(file)
    expect(again.prepare('SELECT id FROM things').all()).toEqual([{ id: 'a' }])
    again.close()
  })
})

describe('transaction', () => {
  it('when the work throws halfway, then none of its writes stay', () => {
    const db = openSqlite(':memory:')
    db.exec('CREATE TABLE things (id TEXT PRIMARY KEY)')

    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO things VALUES (?)').run('a')
        addToOutbox(db, 'a', [event('e1')])
        throw new Error('halfway')
      }),
    ).toThrow('halfway')

    expect(db.prepare('SELECT count(*) AS n FROM things').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 })
  })
})

describe('withoutFlush', () => {
  it('when a safe-to-forget write runs without a flush, then it is committed and every commit after it is flushed again, even after a failure', () => {
    const file = join(dir, 'unflushed.db')
    const db = openSqlite(file)
    db.exec('CREATE TABLE things (id TEXT PRIMARY KEY)')
    const seen: unknown[] = []

    withoutFlush(db, () => {
      seen.push(db.prepare('PRAGMA synchronous').get())
      db.prepare('INSERT INTO things VALUES (?)').run('a')
    })
    expect(() => withoutFlush(db, () => db.prepare('INSERT INTO things VALUES (?)').run('a'))).toThrow(/UNIQUE/)

    expect(seen).toEqual([{ synchronous: 1 }])
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 })
    db.close()
    const again = openSqlite(file)
    expect(again.prepare('SELECT id FROM things').all()).toEqual([{ id: 'a' }])
    again.close()
  })
})

describe('sqliteOutbox', () => {
  it('when events are pending, then they come by document key, each document in write order, traces kept', async () => {
    const db = openSqlite(':memory:')
    const outbox = sqliteOutbox(db)
    addToOutbox(db, 'b', [event('b1')])
    addToOutbox(db, 'a', [event('a1', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), event('a2')])
    addToOutbox(db, 'c', [event('c1')])

    expect(await outbox.pending(2)).toEqual([
      { key: 'a', events: [event('a1', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), event('a2')] },
      { key: 'b', events: [event('b1')] },
    ])
    expect(await outbox.pending(2, 'b')).toEqual([{ key: 'c', events: [event('c1')] }])
  })

  it('when events are marked sent or set aside, then they are no longer pending; set-aside ones stay in the table', async () => {
    const db = openSqlite(':memory:')
    const outbox = sqliteOutbox(db)
    addToOutbox(db, 'a', [event('a1'), event('a2'), event('a3')])

    await outbox.markSent('a', [event('a1')])
    await outbox.setAside('a', [event('a2')])

    expect(await outbox.pending(10)).toEqual([{ key: 'a', events: [event('a3')] }])
    expect(db.prepare('SELECT id, unpublishable FROM outbox ORDER BY seq').all()).toEqual([
      { id: 'a2', unpublishable: 1 },
      { id: 'a3', unpublishable: 0 },
    ])
  })
})
