import type { OrderStatus } from '@ticketing/shared/contracts'
import { addToOutbox, sqliteOutbox, transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { CancellationReason, Order } from '../domain/order'
import { holdKey, type OrdersStore } from './orders.store'

type OrderRow = {
  id: string
  user_id: string
  status: string
  version: number
  expires_at: string
  created_at: string
  updated_at: string
  ticket_id: string
  ticket_title: string
  ticket_price: number
  ticket_seller_id: string
  cancellation_reason: string | null
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status as OrderStatus,
    version: row.version,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ticket: { id: row.ticket_id, title: row.ticket_title, price: row.ticket_price, sellerId: row.ticket_seller_id },
    ...(row.cancellation_reason !== null ? { cancellationReason: row.cancellation_reason as CancellationReason } : {}),
  }
}

const columns = (order: Order) => ({
  id: order.id,
  userId: order.userId,
  status: order.status,
  version: order.version,
  expiresAt: order.expiresAt,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
  ticketId: order.ticket.id,
  ticketTitle: order.ticket.title,
  ticketPrice: order.ticket.price,
  ticketSellerId: order.ticket.sellerId,
  cancellationReason: order.cancellationReason ?? null,
  hold: holdKey(order),
})

/** Stores orders in SQLite; the UNIQUE `hold` column makes one live order per ticket a database fact. */
export function createSqliteOrdersStore(db: DatabaseSync): OrdersStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS orders (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      expires_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      ticket_id TEXT NOT NULL,
      ticket_title TEXT NOT NULL,
      ticket_price INTEGER NOT NULL,
      ticket_seller_id TEXT NOT NULL,
      hold TEXT NOT NULL,
      cancellation_reason TEXT,
      CONSTRAINT one_live_order_per_ticket UNIQUE (hold)
    ) STRICT;
    CREATE INDEX IF NOT EXISTS by_buyer ON orders (user_id, created_at DESC, id DESC);
    CREATE INDEX IF NOT EXISTS by_seller ON orders (ticket_seller_id, created_at DESC, id DESC);
  `)
  // A file written before orders had a cancellation reason gets the column; its orders have none.
  const known = db.prepare("SELECT 1 FROM pragma_table_info('orders') WHERE name = 'cancellation_reason'").get()
  if (!known) db.exec('ALTER TABLE orders ADD COLUMN cancellation_reason TEXT')
  // A taken hold skips the row (changes = 0); a taken id is not covered by the clause and still throws.
  const insertOrder = db.prepare(`
    INSERT INTO orders (id, user_id, status, version, expires_at, created_at, updated_at, ticket_id, ticket_title, ticket_price, ticket_seller_id,
      cancellation_reason, hold)
    VALUES (:id, :userId, :status, :version, :expiresAt, :createdAt, :updatedAt, :ticketId, :ticketTitle, :ticketPrice, :ticketSellerId,
      :cancellationReason, :hold)
    ON CONFLICT (hold) DO NOTHING
  `)
  const replaceOrder = db.prepare(`
    UPDATE orders SET user_id = :userId, status = :status, version = :version, expires_at = :expiresAt, created_at = :createdAt,
      updated_at = :updatedAt, ticket_id = :ticketId, ticket_title = :ticketTitle, ticket_price = :ticketPrice,
      ticket_seller_id = :ticketSellerId, cancellation_reason = :cancellationReason, hold = :hold
    WHERE id = :id AND version = :expectedVersion
  `)
  const selectOrder = db.prepare('SELECT * FROM orders WHERE id = ?')
  const byBuyer = db.prepare('SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?')
  const bySeller = db.prepare('SELECT * FROM orders WHERE ticket_seller_id = ? ORDER BY created_at DESC, id DESC LIMIT ?')

  return {
    insert: async (order, events) =>
      transaction(db, () => {
        if (insertOrder.run(columns(order)).changes === 0) {
          // The same order and its own hold collide on `hold` first: that is a repeated id, not a held ticket.
          if (selectOrder.get(order.id)) throw new Error(`order ${order.id} exists already`)
          return 'ticket-held'
        }
        addToOutbox(db, order.id, events)
        return 'stored'
      }),
    async get(id) {
      const row = selectOrder.get(id) as OrderRow | undefined
      return row ? toOrder(row) : null
    },
    listByBuyer: async (userId, limit) => (byBuyer.all(userId, limit) as OrderRow[]).map(toOrder),
    listBySeller: async (sellerId, limit) => (bySeller.all(sellerId, limit) as OrderRow[]).map(toOrder),
    replace: async (order, expectedVersion, events) =>
      transaction(db, () => {
        if (replaceOrder.run({ ...columns(order), expectedVersion }).changes !== 1) return false
        addToOutbox(db, order.id, events)
        return true
      }),
    ...sqliteOutbox(db),
  }
}
