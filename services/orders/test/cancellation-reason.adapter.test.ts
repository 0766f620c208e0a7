import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { cancelForChangedTicket, placeOrder, settle } from '../src/domain/order'
import type { OrdersStore } from '../src/storage/orders.store'
import { createMongoOrdersStore } from '../src/storage/orders.mongo'
import { createSqliteOrdersStore } from '../src/storage/orders.sqlite'

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 10, minute))
const order = (id: string, ticketId: string) =>
  placeOrder({ id, userId: 'buyer', ticket: { id: ticketId, title: 'Opera', price: 1500, userId: 'seller', version: 1 } }, 900, at(0))

function reasonContract(name: string, makeStore: () => Promise<OrdersStore>) {
  describe(`${name} orders stores`, () => {
    let orders: OrdersStore
    beforeEach(async () => {
      orders = await makeStore()
    })

    it('when an order is cancelled because its ticket changed, then it reads back with the reason and lets go of its ticket', async () => {
      await orders.insert(order('o1', 't1'), [])
      const cancelled = cancelForChangedTicket(order('o1', 't1'), at(1))!

      expect(await orders.replace(cancelled, 1, [])).toBe(true)

      expect(await orders.get('o1')).toEqual(cancelled)
      expect(await orders.listByBuyer('buyer', 10)).toEqual([cancelled])
      expect(await orders.insert(order('o2', 't1'), [])).toBe('stored')
    })

    it('when an order is cancelled otherwise, then it has no reason', async () => {
      await orders.insert(order('o1', 't1'), [])
      await orders.replace(settle(order('o1', 't1'), 'cancelled', at(1))!, 1, [])

      expect(await orders.get('o1')).not.toHaveProperty('cancellationReason')
    })
  })
}

reasonContract('SQLite', async () => createSqliteOrdersStore(openSqlite(':memory:')))

withMongo((freshDb) => reasonContract('MongoDB', async () => createMongoOrdersStore(await freshDb())))

describe('an SQLite file written before orders had a cancellation reason', () => {
  let dir: string
  let db: DatabaseSync | undefined
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orders-reason-'))
  })
  afterEach(async () => {
    db?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('when the store opens it, then its orders read as before and can be cancelled with a reason', async () => {
    const file = join(dir, 'orders.db')
    db = openSqlite(file)
    // The table as it was, with one order in it.
    db.exec(`
      CREATE TABLE orders (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, ticket_id TEXT NOT NULL, ticket_title TEXT NOT NULL,
        ticket_price INTEGER NOT NULL, ticket_seller_id TEXT NOT NULL, hold TEXT NOT NULL,
        CONSTRAINT one_live_order_per_ticket UNIQUE (hold)
      ) STRICT;
      INSERT INTO orders VALUES ('o1', 'buyer', 'created', 1, '2026-06-01T10:15:00.000Z', '2026-06-01T10:00:00.000Z',
        '2026-06-01T10:00:00.000Z', 't1', 'Opera', 1500, 'seller', 't1');
    `)
    db.close()

    db = openSqlite(file)
    const orders = createSqliteOrdersStore(db)
    expect(await orders.get('o1')).toEqual(order('o1', 't1'))
    await orders.replace(cancelForChangedTicket(order('o1', 't1'), at(1))!, 1, [])
    expect(await orders.get('o1')).toMatchObject({ status: 'cancelled', cancellationReason: 'ticket-changed' })
    // Opening it again finds the column there and leaves it be.
    expect(() => createSqliteOrdersStore(db!)).not.toThrow()
  })
})
