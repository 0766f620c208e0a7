import type { Db } from 'mongodb'
import { ensureIndexes } from '@ticketing/shared/mongo'
import type { User } from '../domain/user'
import type { UsersStore } from './users.store'

type UserDocument = Omit<User, 'id'> & { _id: string }

const toUser = ({ _id, ...rest }: UserDocument): User => ({ id: _id, ...rest })

/** Stores profiles in MongoDB, one document per Kratos identity. */
export async function createMongoUsersStore(db: Db): Promise<UsersStore> {
  const users = db.collection<UserDocument>('users')
  await ensureIndexes(users, [{ key: { email: 1 }, name: 'by_email' }])
  return {
    async createOnce({ id, ...rest }) {
      // An upsert that only sets on insert: a repeated web hook leaves the first profile as it was.
      await users.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true })
      return toUser((await users.findOne({ _id: id }))!)
    },
    async get(id) {
      const doc = await users.findOne({ _id: id })
      return doc ? toUser(doc) : null
    },
  }
}
