import { MongoClient, type Db } from 'mongodb'

/**
 * Connects to MongoDB (or a MongoDB-wire server) and returns the service's database.
 * @example const { db, close } = await connectMongo('mongodb://mongo:27017', 'tickets')
 */
export async function connectMongo(url: string, dbName: string): Promise<{ db: Db; close(): Promise<void> }> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 })
  await client.connect()
  return { db: client.db(dbName), close: () => client.close() }
}

/** Whether a driver error is a duplicate-key violation of a unique index. */
export const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000
