import type { Db } from 'mongodb'
import { afterAll, describe, inject } from 'vitest'
import { connectMongo } from '../platform/mongo'

/**
 * Runs `suite` against the MongoDB-wire server the adapter tier started, each call of `freshDb` a new database;
 * skipped (loudly, by the tier's setup) when there is none.
 * @example withMongo((freshDb) => storageContract('MongoDB', async () => createMongoTicketsStore(await freshDb())))
 */
export function withMongo(suite: (freshDb: () => Promise<Db>) => void) {
  const mongoUrl = inject('mongoUrl')
  describe.skipIf(!mongoUrl)('against a MongoDB-wire server', () => {
    const connections: Array<{ close(): Promise<void> }> = []
    afterAll(async () => {
      await Promise.all(connections.map((c) => c.close()))
    })
    suite(async () => {
      const mongo = await connectMongo(mongoUrl, `test_${crypto.randomUUID().slice(0, 8)}`)
      connections.push(mongo)
      return mongo.db
    })
  })
}
