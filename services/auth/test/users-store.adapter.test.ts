import { describe, expect, it } from 'vitest'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { createMemoryUsersStore, type UsersStore } from '../src/storage/users.store'
import { createMongoUsersStore } from '../src/storage/users.mongo'

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

storageContract('in-memory', async () => createMemoryUsersStore())

withMongo((freshDb) => storageContract('MongoDB', async () => createMongoUsersStore(await freshDb())))
