import { addToOutbox, sqliteOutbox, transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { OrderHold, Ticket } from '../domain/ticket'
import type { TicketsStore } from './tickets.store'
import { fold, isIndexable } from './title-search'

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

const read = ['id', 'title', 'description', 'price', 'user_id', 'order_id', 'version', 'created_at', 'updated_at', 'holds']
const selected = read.join(', ')
const selectedOfT = read.map((column) => `t.${column}`).join(', ')

// An FTS5 string: inside double quotes every character is literal (a quote is doubled), so `AND`, `NEAR(` or
// `*` in a query are text to find, never query syntax.
const ftsString = (text: string) => `"${text.replaceAll('"', '""')}"`

/**
 * The FTS5 query for a needle of 3+ characters: the trigrams that cover it side by side (and the last three), ANDed.
 * Every title holding the needle holds them; instr then keeps only the titles that hold it whole. Fewer terms and
 * no positions to compare make this about twice as fast as the needle as one phrase.
 * @example ftsCover('row 12') // '"row" AND " 12"'
 */
function ftsCover(folded: string): string {
  const chars = [...folded]
  const starts = new Set<number>()
  for (let i = 0; i + 3 <= chars.length; i += 3) starts.add(i)
  starts.add(chars.length - 3)
  const grams = new Set([...starts].map((i) => chars.slice(i, i + 3).join('')))
  return [...grams].map(ftsString).join(' AND ')
}

/** The room left between neighbouring positions, so a ticket whose id falls between two others fits without a move. */
const GAP = 2 ** 20

/**
 * Each ticket's `position` rises with its id (gaps between). Negated, it is the search index's rowid, so the index
 * hands out matches newest id first on its own, in the ascending order FTS5 reads fastest (a descending read costs
 * twice as much on an index built a ticket at a time), and a page stops after `limit` of them, however many titles
 * match. A file from before positions existed gets them here, once, and its index is built again on them.
 */
function addPositions(db: DatabaseSync) {
  transaction(db, () => {
    const has = db.prepare("SELECT 1 FROM pragma_table_info('tickets') WHERE name = 'position'").get()
    if (has) return
    db.exec(`
      ALTER TABLE tickets ADD COLUMN position INTEGER;
      UPDATE tickets SET position = ranked.n * ${GAP}
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM tickets) AS ranked WHERE tickets.id = ranked.id;
      DROP TRIGGER IF EXISTS tickets_search_insert;
      DROP TRIGGER IF EXISTS tickets_search_update;
      DROP TRIGGER IF EXISTS tickets_search_delete;
      DROP TABLE IF EXISTS tickets_search;
    `)
  })
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS tickets_by_position ON tickets (position)')
}

/**
 * The trigram index of the folded titles, one row per ticket under its negated position. Triggers keep it in
 * step inside whichever transaction writes the ticket. A database made before the index existed is filled once here.
 */
function createSearchIndex(db: DatabaseSync) {
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS tickets_search USING fts5(title_folded, tokenize = 'trigram case_sensitive 0');
    CREATE TRIGGER IF NOT EXISTS tickets_search_insert AFTER INSERT ON tickets BEGIN
      INSERT INTO tickets_search (rowid, title_folded) VALUES (-new.position, new.title_folded);
    END;
    CREATE TRIGGER IF NOT EXISTS tickets_search_update AFTER UPDATE OF title_folded, position ON tickets
      WHEN old.title_folded IS NOT new.title_folded OR old.position IS NOT new.position BEGIN
      DELETE FROM tickets_search WHERE rowid = -old.position;
      INSERT INTO tickets_search (rowid, title_folded) VALUES (-new.position, new.title_folded);
    END;
    CREATE TRIGGER IF NOT EXISTS tickets_search_delete AFTER DELETE ON tickets BEGIN
      DELETE FROM tickets_search WHERE rowid = -old.position;
    END;
  `)
  // Checked inside the transaction, so two processes opening the same old file fill it once.
  transaction(db, () => {
    const indexed = db.prepare('SELECT 1 FROM tickets_search LIMIT 1').get()
    const stored = db.prepare('SELECT 1 FROM tickets LIMIT 1').get()
    if (!indexed && stored) db.exec('INSERT INTO tickets_search (rowid, title_folded) SELECT -position, title_folded FROM tickets')
  })
}

/**
 * Where a new id goes: past the last, before the first, or halfway between its neighbours. When two neighbours
 * have no room left between them, every ticket from the upper one on moves up by a gap first (highest first, so
 * no two share a position on the way); ids come from a clock, so such a ticket is rare and sits near the end.
 */
function positioner(db: DatabaseSync) {
  const neighbours = db.prepare(`SELECT
    (SELECT position FROM tickets WHERE id < $id ORDER BY id DESC LIMIT 1) AS below,
    (SELECT position FROM tickets WHERE id > $id ORDER BY id LIMIT 1) AS above`)
  const fromUp = db.prepare('SELECT id FROM tickets WHERE position >= ? ORDER BY position DESC')
  const moveUp = db.prepare(`UPDATE tickets SET position = position + ${GAP} WHERE id = ?`)
  return (id: string): number => {
    const { below, above } = neighbours.get({ id }) as { below: number | null; above: number | null }
    if (above === null) return (below ?? 0) + GAP
    if (below === null) return above - GAP
    if (above - below > 1) return below + Math.floor((above - below) / 2)
    for (const row of fromUp.all(above) as Array<{ id: string }>) moveUp.run(row.id)
    return below + GAP / 2
  }
}

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
  addPositions(db)
  createSearchIndex(db)
  const positionOf = positioner(db)
  const insert = db.prepare(`
    INSERT INTO tickets (id, title, title_folded, description, price, user_id, order_id, version, created_at, updated_at, holds, position)
    VALUES ($id, $title, $title_folded, $description, $price, $user_id, $order_id, $version, $created_at, $updated_at, $holds, $position)`)
  const byId = db.prepare(`SELECT ${selected} FROM tickets WHERE id = ?`)
  // Two statements per plan rather than `$after IS NULL OR …`, so a later page seeks in the key instead of scanning to it.
  // Without q, or with one or two characters (no trigram to look up), the newest rows are walked by the key: a scan
  // that stops at `limit` matches, so it is long only for a rare short needle.
  const scanFirst = db.prepare(`
    SELECT ${selected} FROM tickets WHERE instr(title_folded, $q) > 0 ORDER BY id DESC LIMIT $limit`)
  const scanAfter = db.prepare(`
    SELECT ${selected} FROM tickets WHERE id < $after AND instr(title_folded, $q) > 0 ORDER BY id DESC LIMIT $limit`)
  // Three or more: the index hands out candidates newest first, and instr confirms each exactly (the tokenizer
  // folds on its own too). The cursor's id becomes the position of the nearest id below it.
  const indexedFirst = db.prepare(`
    SELECT ${selectedOfT} FROM tickets_search s JOIN tickets t ON t.position = -s.rowid
    WHERE tickets_search MATCH $match AND instr(t.title_folded, $q) > 0 ORDER BY s.rowid LIMIT $limit`)
  const indexedAfter = db.prepare(`
    SELECT ${selectedOfT} FROM tickets_search s JOIN tickets t ON t.position = -s.rowid
    WHERE tickets_search MATCH $match AND s.rowid >= -(SELECT position FROM tickets WHERE id < $after ORDER BY id DESC LIMIT 1)
      AND instr(t.title_folded, $q) > 0 ORDER BY s.rowid LIMIT $limit`)
  const update = db.prepare(`
    UPDATE tickets SET title = $title, title_folded = $title_folded, description = $description, price = $price,
      user_id = $user_id, order_id = $order_id, version = $version, created_at = $created_at, updated_at = $updated_at, holds = $holds
    WHERE id = $id AND version = $expected`)

  return {
    async insert(ticket, events) {
      transaction(db, () => {
        insert.run({ ...columns(ticket), position: positionOf(ticket.id) })
        addToOutbox(db, ticket.id, events)
      })
    },
    async get(id) {
      const row = byId.get(id) as TicketRow | undefined
      return row ? toTicket(row) : null
    },
    async search({ q, limit, after }) {
      // An empty needle is found in every title (instr gives 1), so no q means everything.
      const folded = fold(q ?? '')
      const rows = isIndexable(folded)
        ? after === undefined
          ? indexedFirst.all({ q: folded, match: ftsCover(folded), limit })
          : indexedAfter.all({ q: folded, match: ftsCover(folded), limit, after })
        : after === undefined
          ? scanFirst.all({ q: folded, limit })
          : scanAfter.all({ q: folded, limit, after })
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
