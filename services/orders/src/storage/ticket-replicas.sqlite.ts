import type { DatabaseSync } from '@ticketing/shared/sqlite'
import type { TicketReplica } from '../domain/order'
import type { TicketReplicasStore } from './ticket-replicas.store'

type ReplicaRow = { id: string; title: string; price: number; user_id: string; version: number }

const toReplica = (row: ReplicaRow): TicketReplica => ({ id: row.id, title: row.title, price: row.price, userId: row.user_id, version: row.version })

/** Keeps the ticket copies in SQLite; one statement decides "newer or ignored", so two deliveries cannot interleave. */
export function createSqliteTicketReplicasStore(db: DatabaseSync): TicketReplicasStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ticket_replicas (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      price INTEGER NOT NULL,
      user_id TEXT NOT NULL,
      version INTEGER NOT NULL
    ) STRICT;
  `)
  // An equal or older copy matches no row of the DO UPDATE, so `changes` is 0.
  const upsertNewer = db.prepare(`
    INSERT INTO ticket_replicas (id, title, price, user_id, version) VALUES (:id, :title, :price, :userId, :version)
    ON CONFLICT (id) DO UPDATE SET title = excluded.title, price = excluded.price, user_id = excluded.user_id, version = excluded.version
    WHERE excluded.version > ticket_replicas.version
  `)
  const selectReplica = db.prepare('SELECT * FROM ticket_replicas WHERE id = ?')

  return {
    upsert: async ({ id, title, price, userId, version }) => upsertNewer.run({ id, title, price, userId, version }).changes === 1,
    async get(id) {
      const row = selectReplica.get(id) as ReplicaRow | undefined
      return row ? toReplica(row) : null
    },
  }
}
