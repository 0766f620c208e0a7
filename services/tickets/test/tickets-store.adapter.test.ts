import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite } from '@ticketing/shared/sqlite'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { applyOrder, newTicket, type Ticket } from '../src/domain/ticket'
import type { TicketsStore } from '../src/storage/tickets.store'
import { createMongoTicketsStore } from '../src/storage/tickets.mongo'
import { createSqliteTicketsStore } from '../src/storage/tickets.sqlite'

const at = new Date('2026-06-01T10:00:00.000Z')
const ticket = (id: string, title = `Ticket ${id}`): Ticket =>
  newTicket({ id, userId: 'seller', title, description: 'Row 5', price: 1500 }, at)
const event = (id: string) => ({ id, topic: 'ticket.created' as const, data: { id } })

/** The behaviour every TicketsStore adapter must share. */
function storageContract(name: string, makeStore: () => Promise<TicketsStore>) {
  describe(`${name} tickets store`, () => {
    let store: TicketsStore
    beforeEach(async () => {
      store = await makeStore()
    })

    it('when a ticket is inserted, then get returns an equal plain object', async () => {
      await store.insert(ticket('a'), [])
      expect(await store.get('a')).toEqual(ticket('a'))
      expect(await store.get('missing')).toBeNull()
    })

    it('when the same id is inserted twice, then the second insert fails and leaves no events', async () => {
      await store.insert(ticket('a'), [])
      await expect(store.insert({ ...ticket('a'), title: 'Second' }, [event('e1')])).rejects.toThrow()
      expect(await store.get('a')).toEqual(ticket('a'))
      expect(await store.pending(10)).toEqual([])
    })

    it('when searching, then titles match in any case, newest id first, after the cursor, up to the limit', async () => {
      for (const [id, title] of [['01', 'Radiohead Berlin'], ['02', 'Opera night'], ['03', 'RADIOHEAD Paris'], ['04', 'radiohead (live)']]) {
        await store.insert(ticket(id!, title), [])
      }
      const first = await store.search({ q: 'radiohead', limit: 2 })
      expect(first.map((t) => t.id)).toEqual(['04', '03'])
      const next = await store.search({ q: 'radiohead', limit: 2, after: '03' })
      expect(next.map((t) => t.id)).toEqual(['01'])
      expect((await store.search({ limit: 10 })).map((t) => t.id)).toEqual(['04', '03', '02', '01'])
    })

    it('when the query holds regex or LIKE characters, then they match literally', async () => {
      await store.insert(ticket('01', 'radiohead (live)'), [])
      await store.insert(ticket('02', 'radiohead live'), [])
      await store.insert(ticket('03', '100% rock_n_roll'), [])
      expect((await store.search({ q: '(live)', limit: 10 })).map((t) => t.id)).toEqual(['01'])
      expect(await store.search({ q: '.*', limit: 10 })).toEqual([])
      expect((await store.search({ q: '0% ROCK_', limit: 10 })).map((t) => t.id)).toEqual(['03'])
      expect(await store.search({ q: '%', limit: 10 })).toHaveLength(1)
      expect(await store.search({ q: 'd_l', limit: 10 })).toEqual([])
    })

    it('when queries are 1, 2, 3 or more characters, span words or hold search syntax, then each finds the titles containing it literally', async () => {
      const titles = ['Radiohead Berlin', 'Opera night', '100% rock_n_roll', 'Say "AND" NEAR(me) *live*', 'abc bcd', 'ÉTÉ À ZÜRICH']
      for (const [i, title] of titles.entries()) await store.insert(ticket(`0${i + 1}`, title), [])
      const expected = {
        e: ['04', '02', '01'],
        É: ['06'],
        ra: ['02', '01'],
        ope: ['02'],
        'd b': ['01'],
        'HEAD BERLIN': ['01'],
        'été à zürich': ['06'],
        '%': ['03'],
        '_': ['03'],
        '0% r': ['03'],
        '_n_': ['03'],
        '"': ['04'],
        '"and"': ['04'],
        '""': [],
        AND: ['04'],
        'NEAR(': ['04'],
        '*': ['04'],
        '*live*': ['04'],
        'x AND y': [],
        'NOT opera': [],
        'ope*': [],
        abcd: [],
      }
      const found = await Promise.all(Object.keys(expected).map(async (q) => [q, (await store.search({ q, limit: 10 })).map((t) => t.id)]))
      expect(Object.fromEntries(found)).toEqual(expected)
    })

    it('when a needle is in most titles, in a few, or bunched among the oldest, then paging through finds exactly the titles holding it, newest first', async () => {
      // 400 tickets: "gala" in every other, "rare" in 5, "early" only in the 150 oldest (ids are zero-padded, so id order is insertion order).
      const titles = Array.from({ length: 400 }, (_, i) =>
        [i % 2 === 0 ? 'Gala' : 'Show', i % 80 === 7 ? 'rare' : '', i < 150 ? 'early bird' : '', `no ${i}`].filter(Boolean).join(' '),
      )
      for (const [i, title] of titles.entries()) await store.insert(ticket(String(i).padStart(4, '0'), title), [])
      const everyPage = async (q: string) => {
        const ids: string[] = []
        for (let after: string | undefined; ; ) {
          const page = await store.search({ q, limit: 20, ...(after ? { after } : {}) })
          ids.push(...page.map((t) => t.id))
          if (page.length < 20) return ids
          after = page.at(-1)!.id
        }
      }
      const expected = (needle: string) =>
        titles.flatMap((title, i) => (title.toLowerCase().includes(needle) ? [String(i).padStart(4, '0')] : [])).reverse()

      for (const q of ['GALA', 'rare', 'early bird', 'show no 3', 'no 1']) expect(await everyPage(q), q).toEqual(expected(q.toLowerCase()))
    })

    it('when a short or an indexed query is paged, then each page continues below the cursor', async () => {
      for (const [id, title] of [['01', 'Opera one'], ['02', 'Ballet'], ['03', 'opera two'], ['04', 'OPERA three']]) {
        await store.insert(ticket(id!, title), [])
      }
      const pages = async (q: string) => [
        (await store.search({ q, limit: 2 })).map((t) => t.id),
        (await store.search({ q, limit: 2, after: '03' })).map((t) => t.id),
      ]
      expect(await pages('o')).toEqual([['04', '03'], ['01']])
      expect(await pages('opera')).toEqual([['04', '03'], ['01']])
    })

    it('when ids arrive out of order, as concurrent listings store them, then pages still run newest id first', async () => {
      // Each id lands just above "a", below every other: 40 of them wedged into one gap, then some in between.
      const ids = ['a', 'z', ...Array.from({ length: 40 }, (_, i) => `a${String(99 - i).padStart(2, '0')}`), 'a605', 'a705', 'm', '0']
      for (const id of ids) await store.insert(ticket(id, `Opera ${id}`), [])
      const newestFirst = [...ids].sort().reverse()
      const everyPage = async (q: string | undefined) => {
        const found: string[] = []
        for (let after: string | undefined; ; ) {
          const page = await store.search({ ...(q ? { q } : {}), limit: 7, ...(after ? { after } : {}) })
          found.push(...page.map((t) => t.id))
          if (page.length < 7) return found
          after = page.at(-1)!.id
        }
      }
      expect(await everyPage('opera')).toEqual(newestFirst)
      expect(await everyPage(undefined)).toEqual(newestFirst)
      expect((await store.search({ q: 'opera a6', limit: 50 })).map((t) => t.id)).toEqual(['a69', 'a68', 'a67', 'a66', 'a65', 'a64', 'a63', 'a62', 'a61', 'a605', 'a60'])
      expect((await store.search({ q: 'opera', limit: 3, after: 'a61' })).map((t) => t.id)).toEqual(['a605', 'a60', 'a'])
    })

    it('when a title is edited, then search finds its new title and no longer its old one', async () => {
      await store.insert(ticket('a', 'Opera night'), [])
      await store.replace({ ...ticket('a'), title: 'Ballet matinee', version: 2 }, 1, [])
      expect((await store.search({ q: 'ballet', limit: 10 })).map((t) => t.id)).toEqual(['a'])
      expect((await store.search({ q: 'b', limit: 10 })).map((t) => t.id)).toEqual(['a'])
      expect(await store.search({ q: 'opera', limit: 10 })).toEqual([])
    })

    it('when a title has accented capitals, then a lower-case query still finds it', async () => {
      await store.insert(ticket('01', 'ÉTÉ À ZÜRICH'), [])
      expect((await store.search({ q: 'été à zürich', limit: 10 })).map((t) => t.id)).toEqual(['01'])
    })

    it('when replacing at the expected version, then it is stored; at a stale version, then nothing changes', async () => {
      await store.insert(ticket('a'), [])
      const edited = { ...ticket('a'), title: 'Edited', version: 2 }
      expect(await store.replace(edited, 1, [event('e1')])).toBe(true)
      expect(await store.replace({ ...edited, title: 'Lost', version: 3 }, 1, [event('lost')])).toBe(false)
      expect(await store.get('a')).toEqual(edited)
      expect(await store.search({ q: 'lost', limit: 10 })).toEqual([])
      expect(await store.replace(ticket('missing'), 1, [event('missing')])).toBe(false)
      expect(await store.pending(10)).toEqual([{ key: 'a', events: [event('e1')] }])
    })

    it('when a reserved ticket is released, then orderId is gone', async () => {
      await store.insert({ ...ticket('a'), orderId: 'o1' }, [])
      const { orderId: _gone, ...released } = { ...ticket('a'), orderId: 'o1', version: 2 }
      await store.replace(released, 1, [])
      expect(await store.get('a')).not.toHaveProperty('orderId')
    })

    it('when writes carry events, then they are pending in order until marked sent', async () => {
      await store.insert(ticket('a'), [event('e1')])
      await store.replace({ ...ticket('a'), version: 2 }, 1, [event('e2')])
      await store.insert(ticket('b'), [])
      expect(await store.pending(10)).toEqual([{ key: 'a', events: [event('e1'), event('e2')] }])
      await store.markSent('a', [event('e1')])
      expect(await store.pending(10)).toEqual([{ key: 'a', events: [event('e2')] }])
      await store.markSent('a', [event('e2')])
      expect(await store.pending(10)).toEqual([])
    })
  })
}

storageContract('SQLite', async () => createSqliteTicketsStore(openSqlite(':memory:')))

withMongo((freshDb) => storageContract('MongoDB', async () => createMongoTicketsStore(await freshDb())))

describe('SQLite tickets store in a file', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tickets-store-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('when the database is closed and opened again, then tickets, holds and pending events are all still there', async () => {
    const file = join(dir, 'tickets.db')
    const first = openSqlite(file)
    const store = createSqliteTicketsStore(first)
    const held = applyOrder(ticket('a', 'Opera night'), { id: 'o1', version: 1, status: 'created' }, at)!
    await store.insert(ticket('a', 'Opera night'), [event('e1')])
    await store.replace(held, 1, [event('e2')])
    await store.insert(ticket('b', 'Radiohead'), [event('e3')])
    await store.markSent('b', [event('e3')])
    first.close()

    const reopened = createSqliteTicketsStore(openSqlite(file))
    expect(await reopened.get('a')).toEqual({ ...ticket('a', 'Opera night'), orderId: 'o1', version: 2, holds: [{ id: 'o1', version: 1, status: 'created' }] })
    expect((await reopened.search({ q: 'OPERA', limit: 10 })).map((t) => t.id)).toEqual(['a'])
    expect((await reopened.search({ limit: 10 })).map((t) => t.id)).toEqual(['b', 'a'])
    expect(await reopened.pending(10)).toEqual([{ key: 'a', events: [event('e1'), event('e2')] }])
  })
})
