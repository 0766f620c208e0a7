import { addToOutbox, sqliteOutbox, transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { OrderHold, Ticket } from '../domain/ticket'
import type { TicketsStore } from './tickets.store'

type TicketRow = {
  id: string
  title: string
  description: string
  price: number
  user_id: string
  order_id: string | null
  version: number
  created_at: string
  updated_at: string
  holds: string
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    price: row.price,
    userId: row.user_id,
    ...(row.order_id !== null ? { orderId: row.order_id } : {}),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    holds: JSON.parse(row.holds) as OrderHold[],
  }
}

// SQLite's lower() folds ASCII only; the title is folded here, as the query is, so "ÉTÉ" still finds "été".
const fold = (text: string) => text.toLowerCase()

const columns = (ticket: Ticket) => ({
  id: ticket.id,
  title: ticket.title,
  title_folded: fold(ticket.title),
  description: ticket.description,
  price: ticket.price,
  user_id: ticket.userId,
  order_id: ticket.orderId ?? null,
  version: ticket.version,
  created_at: ticket.createdAt,
  updated_at: ticket.updatedAt,
  holds: JSON.stringify(ticket.holds),
})

const selected = 'id, title, description, price, user_id, order_id, version, created_at, updated_at, holds'

/** Stores tickets in SQLite, one row per ticket; its pending events go to the outbox in the same transaction. */
export function createSqliteTicketsStore(db: DatabaseSync): TicketsStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS tickets (
      id TEXT NOT NULL PRIMARY KEY,
      title TEXT NOT NULL,
      title_folded TEXT NOT NULL,
      description TEXT NOT NULL,
      price INTEGER NOT NULL,
      user_id TEXT NOT NULL,
      order_id TEXT,
      version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      holds TEXT NOT NULL
    ) STRICT;
  `)
  const insert = db.prepare(`
    INSERT INTO tickets (id, title, title_folded, description, price, user_id, order_id, version, created_at, updated_at, holds)
    VALUES ($id, $title, $title_folded, $description, $price, $user_id, $order_id, $version, $created_at, $updated_at, $holds)`)
  const byId = db.prepare(`SELECT ${selected} FROM tickets WHERE id = ?`)
  // Two statements rather than `$after IS NULL OR …`, so a later page seeks in the key instead of scanning to it.
  const firstPage = db.prepare(`
    SELECT ${selected} FROM tickets WHERE instr(title_folded, $q) > 0 ORDER BY id DESC LIMIT $limit`)
  const pageAfter = db.prepare(`
    SELECT ${selected} FROM tickets WHERE id < $after AND instr(title_folded, $q) > 0 ORDER BY id DESC LIMIT $limit`)
  const update = db.prepare(`
    UPDATE tickets SET title = $title, title_folded = $title_folded, description = $description, price = $price,
      user_id = $user_id, order_id = $order_id, version = $version, created_at = $created_at, updated_at = $updated_at, holds = $holds
    WHERE id = $id AND version = $expected`)

  return {
    async insert(ticket, events) {
      transaction(db, () => {
        insert.run(columns(ticket))
        addToOutbox(db, ticket.id, events)
      })
    },
    async get(id) {
      const row = byId.get(id) as TicketRow | undefined
      return row ? toTicket(row) : null
    },
    async search({ q, limit, after }) {
      // An empty needle is found in every title (instr gives 1), so no q means everything.
      const params = { q: fold(q ?? ''), limit }
      const rows = after === undefined ? firstPage.all(params) : pageAfter.all({ ...params, after })
      return (rows as TicketRow[]).map(toTicket)
    },
    async replace(ticket, expectedVersion, events) {
      return transaction(db, () => {
        const { changes } = update.run({ ...columns(ticket), expected: expectedVersion })
        if (Number(changes) !== 1) return false
        addToOutbox(db, ticket.id, events)
        return true
      })
    },
    ...sqliteOutbox(db),
  }
}
