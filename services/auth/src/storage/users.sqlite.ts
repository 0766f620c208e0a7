import type { DatabaseSync } from '@ticketing/shared/sqlite'
import type { User } from '../domain/user'
import type { UsersStore } from './users.store'

type UserRow = { id: string; email: string; created_at: string }

const toUser = ({ id, email, created_at }: UserRow): User => ({ id, email, createdAt: created_at })

/** Stores profiles in SQLite, one row per Kratos identity. */
export function createSqliteUsersStore(db: DatabaseSync): UsersStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS users_by_email ON users (email);
  `)
  // The primary key keeps the first profile: a repeated web hook inserts nothing.
  const insert = db.prepare('INSERT INTO users (id, email, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
  const select = db.prepare('SELECT id, email, created_at FROM users WHERE id = ?')
  const get = (id: string) => {
    const row = select.get(id) as UserRow | undefined
    return row ? toUser(row) : null
  }
  return {
    async createOnce({ id, email, createdAt }) {
      insert.run(id, email, createdAt)
      return get(id)!
    },
    async get(id) {
      return get(id)
    },
  }
}
