import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { placeOrder, settle } from '../src/domain/order'
import type { OrdersStore } from '../src/storage/orders.store'
import { createMongoOrdersStore } from '../src/storage/orders.mongo'
import { createSqliteOrdersStore } from '../src/storage/orders.sqlite'
import type { TicketReplicasStore } from '../src/storage/ticket-replicas.store'
import { createMongoTicketReplicasStore } from '../src/storage/ticket-replicas.mongo'
import { createSqliteTicketReplicasStore } from '../src/storage/ticket-replicas.sqlite'

const ticket = (id: string, sellerId = 'seller') => ({ id, title: `Ticket ${id}`, price: 1500, userId: sellerId, version: 1 })
const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 10, minute))
const order = (id: string, ticketId: string, buyer = 'buyer', minute = 0) => placeOrder({ id, userId: buyer, ticket: ticket(ticketId) }, 900, at(minute))
const event = (id: string) => ({ id, topic: 'order.created' as const, data: { id } })

type Stores = { orders: OrdersStore; tickets: TicketReplicasStore }

/**
 * The behaviour every orders adapter must share. `atomicUpdates: false` leaves out the race of two guarded
 * replaces of one order: MongoDB runs such an update atomically, the FerretDB 1.24 test server reads and then
 * writes (both can apply). That race runs on SQLite, whose `UPDATE … WHERE id = ? AND version = ?` is one statement.
 */
function storageContract(name: string, makeStores: () => Promise<Stores>, { atomicUpdates = true } = {}) {
  describe(`${name} orders stores`, () => {
    let orders: OrdersStore
    let tickets: TicketReplicasStore
    beforeEach(async () => {
      ;({ orders, tickets } = await makeStores())
    })

    it('when an order is inserted, then get returns an equal plain object', async () => {
      expect(await orders.insert(order('o1', 't1'), [])).toBe('stored')
      expect(await orders.get('o1')).toEqual(order('o1', 't1'))
      expect(await orders.get('nope')).toBeNull()
    })

    it('when an order id is inserted twice, then the second insert fails and the first order stays', async () => {
      await orders.insert(order('o1', 't1'), [event('e1')])
      await expect(orders.insert(order('o1', 't1', 'someone-else'), [event('e2')])).rejects.toThrow()
      expect(await orders.get('o1')).toEqual(order('o1', 't1'))
      expect(await orders.pending(10)).toEqual([{ key: 'o1', events: [event('e1')] }])
    })

    it('when many orders for one ticket are inserted at once, then exactly one is stored with its events', async () => {
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => orders.insert(order(`o${i}`, 't1', `buyer${i}`), [event(`e${i}`)])))
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'ticket-held')).toHaveLength(49)
      const winner = `o${outcomes.indexOf('stored')}`
      expect(await orders.pending(100)).toEqual([{ key: winner, events: [event(`e${outcomes.indexOf('stored')}`)] }])
      expect((await orders.listBySeller('seller', 100)).map((o) => o.id)).toEqual([winner])
    })

    it('when the holding order is cancelled, then the ticket can be ordered again; a complete order keeps it', async () => {
      await orders.insert(order('o1', 't1'), [])
      expect(await orders.replace(settle(order('o1', 't1'), 'cancelled', at(1))!, 1, [])).toBe(true)
      expect(await orders.insert(order('o2', 't1'), [])).toBe('stored')
      expect(await orders.replace(settle(order('o2', 't1'), 'complete', at(2))!, 1, [])).toBe(true)
      expect(await orders.insert(order('o3', 't1'), [])).toBe('ticket-held')
    })

    it('when replacing at a stale version, then nothing changes', async () => {
      await orders.insert(order('o1', 't1'), [])
      await orders.replace(settle(order('o1', 't1'), 'complete', at(1))!, 1, [])
      expect(await orders.replace(settle(order('o1', 't1'), 'cancelled', at(1))!, 1, [event('e1')])).toBe(false)
      expect(await orders.get('o1')).toMatchObject({ status: 'complete', version: 2 })
      expect(await orders.pending(10)).toEqual([])
      expect(await orders.replace(settle(order('nope', 't9'), 'cancelled', at(1))!, 1, [])).toBe(false)
    })

    it.runIf(atomicUpdates)('when the expiry and the payment settle one order at once, then exactly one of them wins', async () => {
      await orders.insert(order('o1', 't1'), [])
      const outcomes = await Promise.all([
        orders.replace(settle(order('o1', 't1'), 'cancelled', at(1))!, 1, [event('cancelled')]),
        orders.replace(settle(order('o1', 't1'), 'complete', at(1))!, 1, [event('complete')]),
      ])
      expect(outcomes.filter(Boolean)).toHaveLength(1)
      const won = outcomes[0] ? 'cancelled' : 'complete'
      expect(await orders.get('o1')).toMatchObject({ status: won, version: 2 })
      expect(await orders.pending(10)).toEqual([{ key: 'o1', events: [event(won)] }])
    })

    it("when listing, then a buyer's orders and a seller's sales come newest first", async () => {
      await orders.insert(order('o1', 't1', 'ann', 1), [])
      await orders.insert(order('o2', 't2', 'ann', 2), [])
      await orders.insert(order('o3', 't3', 'bob', 3), [])
      expect((await orders.listByBuyer('ann', 10)).map((o) => o.id)).toEqual(['o2', 'o1'])
      expect((await orders.listByBuyer('ann', 1)).map((o) => o.id)).toEqual(['o2'])
      expect((await orders.listBySeller('seller', 10)).map((o) => o.id)).toEqual(['o3', 'o2', 'o1'])
      expect(await orders.listBySeller('nobody', 10)).toEqual([])
    })

    it('when writes carry events, then they are pending until marked sent', async () => {
      await orders.insert(order('o1', 't1'), [event('e1')])
      await orders.replace(settle(order('o1', 't1'), 'complete', at(1))!, 1, [event('e2')])
      expect(await orders.pending(10)).toEqual([{ key: 'o1', events: [event('e1'), event('e2')] }])
      await orders.markSent('o1', [event('e1'), event('e2')])
      expect(await orders.pending(10)).toEqual([])
    })

    it('when ticket copies arrive, then only a newer version replaces the held one', async () => {
      expect(await tickets.upsert({ ...ticket('t1'), version: 2, price: 2000 })).toBe(true)
      expect(await tickets.upsert({ ...ticket('t1'), version: 1, price: 1000 })).toBe(false)
      expect(await tickets.upsert({ ...ticket('t1'), version: 2, price: 3000 })).toBe(false)
      expect(await tickets.get('t1')).toMatchObject({ version: 2, price: 2000 })
      expect(await tickets.upsert({ ...ticket('t1'), version: 3, price: 3000 })).toBe(true)
      expect(await tickets.get('t1')).toEqual({ ...ticket('t1'), version: 3, price: 3000 })
      expect(await tickets.get('nope')).toBeNull()
    })

    it('when the first two versions of a ticket arrive at the same moment, then the newer one always stays', async () => {
      for (let round = 0; round < 20; round++) {
        const id = `race-${round}`
        await Promise.all([tickets.upsert({ ...ticket(id), version: 1 }), tickets.upsert({ ...ticket(id), version: 2, price: 2000 })])
        expect(await tickets.get(id)).toMatchObject({ version: 2, price: 2000 })
      }
    })
  })
}

storageContract('SQLite', async () => {
  const db = openSqlite(':memory:')
  return { orders: createSqliteOrdersStore(db), tickets: createSqliteTicketReplicasStore(db) }
})

withMongo((freshDb) =>
  storageContract('MongoDB', async () => {
    const db = await freshDb()
    return { orders: await createMongoOrdersStore(db), tickets: createMongoTicketReplicasStore(db) }
  }, { atomicUpdates: false }),
)

describe('SQLite orders stores in a file', () => {
  let dir: string
  let db: DatabaseSync | undefined
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orders-'))
  })
  afterEach(async () => {
    db?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('when the database is reopened, then orders, holds, ticket copies and pending events are all still there', async () => {
    const file = join(dir, 'orders.db')
    db = openSqlite(file)
    const before = createSqliteOrdersStore(db)
    await createSqliteTicketReplicasStore(db).upsert({ ...ticket('t1'), version: 2 })
    await before.insert(order('o1', 't1', 'ann', 1), [event('e1')])
    await before.replace(settle(order('o1', 't1', 'ann', 1), 'complete', at(2))!, 1, [event('e2')])
    await before.insert(order('o2', 't2', 'ann', 3), [event('e3')])
    await before.markSent('o2', [event('e3')])
    db.close()

    db = openSqlite(file)
    const orders = createSqliteOrdersStore(db)
    const tickets = createSqliteTicketReplicasStore(db)
    expect(await orders.get('o1')).toEqual(settle(order('o1', 't1', 'ann', 1), 'complete', at(2)))
    expect((await orders.listByBuyer('ann', 10)).map((o) => o.id)).toEqual(['o2', 'o1'])
    expect(await orders.pending(10)).toEqual([{ key: 'o1', events: [event('e1'), event('e2')] }])
    expect(await orders.insert(order('o3', 't1', 'bob'), [])).toBe('ticket-held')
    expect(await tickets.get('t1')).toEqual({ ...ticket('t1'), version: 2 })
    expect(await tickets.upsert({ ...ticket('t1'), version: 1 })).toBe(false)
  })
})
