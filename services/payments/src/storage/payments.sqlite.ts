import { addToOutbox, sqliteOutbox, transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import { fieldsToSet, type OrderReplica } from '../domain/order'
import type { Payment } from '../domain/payment'
import type { PaymentsStore } from './payments.store'

// The table's CHECK guarantees what this union says: a created order always has its price and end.
type OrderRow = { id: string; user_id: string; version: number; intent_id: string | null } & (
  | { status: 'created'; price: number; expires_at: string }
  | { status: 'cancelled' | 'complete'; price: number | null; expires_at: string | null }
)
type PaymentRow = { id: string; order_id: string; stripe_id: string; user_id: string; version: number; created_at: string; refunded: number }

function toOrder(row: OrderRow): OrderReplica {
  const fields = { id: row.id, userId: row.user_id, version: row.version, ...(row.intent_id === null ? {} : { intentId: row.intent_id }) }
  if (row.status === 'created') return { ...fields, status: row.status, price: row.price, expiresAt: row.expires_at }
  return { ...fields, status: row.status, ...(row.price === null ? {} : { price: row.price }), ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }) }
}

function toPayment(row: PaymentRow): Payment {
  const { id, order_id, stripe_id, user_id, version, created_at, refunded } = row
  return { id, orderId: order_id, stripeId: stripe_id, userId: user_id, version, createdAt: created_at, ...(refunded ? { refunded: true } : {}) }
}

/** Stores the order replica and payments in SQLite; a payment and its pending events are written in one transaction. */
export function createSqlitePaymentsStore(db: DatabaseSync): PaymentsStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS orders (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('created', 'cancelled', 'complete')),
      version INTEGER NOT NULL,
      price INTEGER,
      expires_at TEXT,
      intent_id TEXT,
      CHECK (status <> 'created' OR (price IS NOT NULL AND expires_at IS NOT NULL))
    ) STRICT;
    CREATE TABLE IF NOT EXISTS payments (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL,
      stripe_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded IN (0, 1))
    ) STRICT;
    -- One payment per order, enforced by the database: of two concurrent payments only one is stored.
    CREATE UNIQUE INDEX IF NOT EXISTS payments_one_per_order ON payments (order_id);
  `)
  // Only a newer version updates; an absent price or end keeps the held one, and the intent id is never an event's.
  const upsertOrder = db.prepare(`
    INSERT INTO orders (id, user_id, status, version, price, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, status = excluded.status, version = excluded.version,
      price = coalesce(excluded.price, orders.price), expires_at = coalesce(excluded.expires_at, orders.expires_at)
    WHERE excluded.version > orders.version`)
  const selectOrder = db.prepare('SELECT * FROM orders WHERE id = ?')
  const swapIntent = db.prepare('UPDATE orders SET intent_id = ? WHERE id = ? AND intent_id IS ?')
  const selectIntent = db.prepare('SELECT intent_id FROM orders WHERE id = ?')
  // Refused by the primary key or by payments_one_per_order: `changes` is 0 then.
  const insertPayment = db.prepare(`
    INSERT INTO payments (id, order_id, stripe_id, user_id, version, created_at, refunded) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING`)
  const selectPayment = db.prepare('SELECT * FROM payments WHERE id = ?')
  const selectPaymentByOrder = db.prepare('SELECT * FROM payments WHERE order_id = ?')
  const markRefunded = db.prepare('UPDATE payments SET refunded = 1 WHERE id = ?')

  return {
    async applyOrder(order) {
      const fields = fieldsToSet(order)
      const { changes } = upsertOrder.run(fields.id, fields.userId, fields.status, fields.version, fields.price ?? null, fields.expiresAt ?? null)
      return changes === 1
    },
    async getOrder(id) {
      const row = selectOrder.get(id) as OrderRow | undefined
      return row ? toOrder(row) : null
    },
    async swapIntent(orderId, expected, next) {
      // One guarded write: of concurrent swaps from the same intent (or from none), the first to land is kept.
      swapIntent.run(next, orderId, expected ?? null)
      const row = selectIntent.get(orderId) as { intent_id: string | null } | undefined
      return row?.intent_id ?? next
    },
    async insertPayment(payment, events) {
      return transaction(db, () => {
        const { id, orderId, stripeId, userId, version, createdAt, refunded } = payment
        const { changes } = insertPayment.run(id, orderId, stripeId, userId, version, createdAt, refunded ? 1 : 0)
        if (changes === 0) return false
        addToOutbox(db, id, events)
        return true
      })
    },
    async getPayment(id) {
      const row = selectPayment.get(id) as PaymentRow | undefined
      return row ? toPayment(row) : null
    },
    async findPaymentByOrder(orderId) {
      const row = selectPaymentByOrder.get(orderId) as PaymentRow | undefined
      return row ? toPayment(row) : null
    },
    async markRefunded(paymentId) {
      markRefunded.run(paymentId)
    },
    ...sqliteOutbox(db),
  }
}
