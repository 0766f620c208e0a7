import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSqlite } from '@ticketing/shared/sqlite'
import { withMongo } from '@ticketing/shared/testing/mongo'
import type { UsersStore } from '../src/storage/users.store'
import { createMongoUsersStore } from '../src/storage/users.mongo'
import { createSqliteUsersStore } from '../src/storage/users.sqlite'

const user = { id: 'u1', email: 'ann@example.com', createdAt: '2026-06-01T10:00:00.000Z' }

/** The behaviour every UsersStore adapter must share. */
function storageContract(name: string, makeStore: () => Promise<UsersStore>) {
  describe(`${name} users store`, () => {
    it('when a profile is created, then get returns it; an unknown id gives null', async () => {
      const store = await makeStore()
      expect(await store.createOnce(user)).toEqual(user)
      expect(await store.get('u1')).toEqual(user)
      expect(await store.get('nope')).toBeNull()
    })

    it('when created again with other values, then the first profile is kept', async () => {
      const store = await makeStore()
      await store.createOnce(user)
      expect(await store.createOnce({ ...user, createdAt: '2027-01-01T00:00:00.000Z' })).toEqual(user)
    })
  })
}

storageContract('SQLite', async () => createSqliteUsersStore(openSqlite(':memory:')))

describe('SQLite users store in a file', () => {
  it('when the database is closed and opened again, then the profile is still there and still the first one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'users-store-'))
    try {
      const file = join(dir, 'auth.db')
      const first = openSqlite(file)
      await createSqliteUsersStore(first).createOnce(user)
      first.close()

      const second = openSqlite(file)
      const store = createSqliteUsersStore(second)
      expect(await store.get('u1')).toEqual(user)
      expect(await store.createOnce({ ...user, email: 'other@example.com' })).toEqual(user)
      second.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

withMongo((freshDb) => storageContract('MongoDB', async () => createMongoUsersStore(await freshDb())))
