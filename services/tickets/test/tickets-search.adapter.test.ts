import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Document } from 'mongodb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { newTicket, type Ticket } from '../src/domain/ticket'
import { createMongoTicketsStore, searchFilter } from '../src/storage/tickets.mongo'
import { createSqliteTicketsStore } from '../src/storage/tickets.sqlite'

const at = new Date('2026-06-01T10:00:00.000Z')
const ticket = (id: string, title: string): Ticket =>
  newTicket({ id, userId: 'seller', title, description: 'Row 5', price: 1500 }, at)
const idsOf = (tickets: Ticket[]) => tickets.map((t) => t.id)
/** A ticket document as the test reads or writes it directly, string ids as the store keeps them. */
type StoredTicket = Document & { _id: string; titleGrams?: string[] }

/** Every SQL text `db` prepares from now on, so a test can plan the store's own statements. */
function recordPrepared(db: DatabaseSync): string[] {
  const prepared: string[] = []
  const prepare = db.prepare.bind(db)
  db.prepare = (sql: string) => (prepared.push(sql), prepare(sql))
  return prepared
}

describe('SQLite title search', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tickets-search-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('when a 3+ character query is planned, then the trigram index hands out rows newest first: no scan of the tickets, no sort', () => {
    const db = openSqlite(':memory:')
    const prepared = recordPrepared(db)
    createSqliteTicketsStore(db)
    const indexed = prepared.filter((sql) => sql.includes('MATCH'))
    expect(indexed).toHaveLength(2)
    for (const sql of indexed) {
      const params = { match: '"opera"', q: 'opera', limit: 21, ...(sql.includes('$after') ? { after: 'z' } : {}) }
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail)
      expect(plan.some((step) => /^SCAN s VIRTUAL TABLE INDEX \d+:M/.test(step))).toBe(true)
      expect(plan).toContain('SEARCH t USING INDEX tickets_by_position (position=?)')
      expect(plan.filter((step) => /^SCAN (t|tickets)\b/.test(step) || step.includes('TEMP B-TREE'))).toEqual([])
    }
  })

  // The tickets table as earlier versions of this service made it: no positions; `indexed` adds their search index, keyed by rowid.
  const earlierFile = (file: string, { indexed }: { indexed: boolean }) => {
    const db = openSqlite(file)
    db.exec(`CREATE TABLE tickets (id TEXT NOT NULL PRIMARY KEY, title TEXT NOT NULL, title_folded TEXT NOT NULL, description TEXT NOT NULL,
      price INTEGER NOT NULL, user_id TEXT NOT NULL, order_id TEXT, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      holds TEXT NOT NULL) STRICT`)
    if (indexed) {
      db.exec(`CREATE VIRTUAL TABLE tickets_search USING fts5(title_folded, tokenize = 'trigram case_sensitive 0');
        CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
          INSERT INTO tickets_search (rowid, title_folded) VALUES (new.rowid, new.title_folded);
        END;`)
    }
    // Stored out of id order, so the old rowids are not the order a page needs.
    for (const [id, title] of [['b', 'OPERA matinee'], ['a', 'Opera night'], ['c', 'Ballet']] as const) {
      db.prepare(`INSERT INTO tickets VALUES (?, ?, ?, '', 1500, 'seller', NULL, 1, ?, ?, '[]')`).run(id, title, title.toLowerCase(), at.toISOString(), at.toISOString())
    }
    db.close()
  }

  for (const indexed of [false, true]) {
    it(`when a file from before positions${indexed ? '' : ' and the index'} is opened, then its tickets are placed once and found newest first`, async () => {
      const file = join(dir, 'tickets.db')
      earlierFile(file, { indexed })
      const reopened = createSqliteTicketsStore(openSqlite(file))
      expect(idsOf(await reopened.search({ q: 'opera', limit: 10 }))).toEqual(['b', 'a'])
      expect(idsOf(await reopened.search({ q: 'opera', limit: 10, after: 'b' }))).toEqual(['a'])
      await reopened.insert(ticket('ab', 'Opera gala'), [])
      expect(idsOf(await reopened.search({ q: 'opera', limit: 10 }))).toEqual(['b', 'ab', 'a'])

      const again = openSqlite(file)
      createSqliteTicketsStore(again)
      expect(again.prepare('SELECT count(*) AS n FROM tickets_search').get()).toEqual({ n: 4 })
      expect(again.prepare('SELECT id FROM tickets ORDER BY position').all().map((row) => row.id)).toEqual(['a', 'ab', 'b', 'c'])
    })
  }
})

/** Every stage and index name of a MongoDB explain, whatever the shape of its plan tree. */
function planSteps(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return []
  const own = 'stage' in node ? [`${String(node.stage)}${'indexName' in node ? ` ${String(node.indexName)}` : ''}`] : []
  return [...own, ...Object.values(node).flatMap(planSteps)]
}

withMongo((freshDb) => {
  describe('MongoDB title search', () => {
    it('when a 3+ character query is explained, then the trigram index serves it (on MongoDB; FerretDB keeps the index but plans no pushdown)', async () => {
      const db = await freshDb()
      const store = await createMongoTicketsStore(db)
      for (let i = 10; i < 40; i++) await store.insert(ticket(`${i}`, `Ballet ${i}`), [])
      await store.insert(ticket('50', 'Opera night'), [])
      const tickets = db.collection<StoredTicket>('tickets')

      const indexes = await tickets.indexes()
      expect(indexes.find((index) => index.name === 'by_title_gram')?.key).toEqual({ titleGrams: 1, _id: -1 })
      const explained: Document = await tickets.find(searchFilter({ q: 'opera', after: '99' })).sort({ _id: -1 }).limit(21).explain()
      const queryPlanner = explained.queryPlanner as Document
      if ('winningPlan' in queryPlanner) {
        const steps = planSteps(queryPlanner.winningPlan)
        expect(steps).toContain('IXSCAN by_title_gram')
        expect(steps.filter((step) => step.startsWith('COLLSCAN') || step.startsWith('SORT'))).toEqual([])
      } else {
        // FerretDB 1.x over SQLite pushes no array filter down: its plan is a SQLite scan, said so by the flag.
        expect(explained.filterPushdown).toBe(false)
      }
      expect(idsOf(await store.search({ q: 'opera', limit: 21, after: '99' }))).toEqual(['50'])
    })

    it('when documents written before the search fields existed are there at start-up, then they are given them and found', async () => {
      const db = await freshDb()
      const { id: _a, ...a } = ticket('a', 'Opera night')
      const { id: _b, ...b } = ticket('b', 'ÉTÉ À ZÜRICH')
      await db.collection<StoredTicket>('tickets').insertMany([{ _id: 'a', ...a, outbox: [] }, { _id: 'b', ...b, outbox: [] }])

      const store = await createMongoTicketsStore(db)
      expect(idsOf(await store.search({ q: 'OPERA', limit: 10 }))).toEqual(['a'])
      expect(idsOf(await store.search({ q: 'été à z', limit: 10 }))).toEqual(['b'])
      expect(await store.get('a')).toEqual(ticket('a', 'Opera night'))
      const stored = await db.collection<StoredTicket>('tickets').findOne({ _id: 'b' })
      expect(stored?.titleGrams).toContain('été')
    })
  })
})
