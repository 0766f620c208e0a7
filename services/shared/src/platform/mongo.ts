import { MongoClient, type Collection, type Db, type Document, type IndexDescription } from 'mongodb'
import type { Outbox, OutboxEvent } from './outbox'

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

/**
 * Stores `fields` as document `id` unless it holds the same or a newer version: the replica rule of every consumer.
 * Returns true when stored. Two first deliveries racing to insert are settled by retrying once.
 * @example await upsertNewer(db.collection('ticket_replicas'), ticket.id, { title, price, version })
 */
export async function upsertNewer<D extends { _id: string; version: number }>(collection: Collection<D>, id: string, fields: Omit<D, '_id'>): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // The filter misses an equal or newer copy; the upsert's insert then collides on _id and is refused.
      const versioned = collection as unknown as Collection<{ _id: string; version: number }>
      const { matchedCount, upsertedCount } = await versioned.updateOne(
        { _id: id, version: { $lt: fields.version } },
        { $set: fields },
        { upsert: true },
      )
      return matchedCount + upsertedCount === 1
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
    }
  }
  return false
}

/**
 * The outbox half of a MongoDB store whose documents keep pending events in an `outbox` array.
 * @example return { ...ticketsMethods, ...mongoOutbox(db.collection('tickets')) }
 */
export function mongoOutbox<D extends { _id: string; outbox: OutboxEvent[] }>(documents: Collection<D>): Outbox {
  // Only `_id`, `outbox` and `unpublishable` are touched, whatever else the documents hold.
  const collection = documents as unknown as Collection<{ _id: string; outbox: OutboxEvent[]; unpublishable?: OutboxEvent[] }>
  return {
    async pending(limit, after) {
      // Matches only documents with events, through the sparse `outbox.id` index.
      const filter = { 'outbox.id': { $exists: true }, ...(after !== undefined ? { _id: { $gt: after } } : {}) }
      const docs = await collection.find(filter, { projection: { outbox: 1 } }).sort({ _id: 1 }).limit(limit).toArray()
      return docs.map((doc) => ({ key: doc._id, events: doc.outbox }))
    },
    async markSent(key, events) {
      // Whole-document match: $pull with a query condition is not supported by every MongoDB-wire server.
      await collection.updateOne({ _id: key }, { $pullAll: { outbox: events } })
    },
    async setAside(key, events) {
      await collection.updateOne({ _id: key }, { $pullAll: { outbox: events }, $push: { unpublishable: { $each: events } } })
    },
  }
}

/**
 * Creates those of `indexes` the collection lacks, known by name, each with its own `createIndex` call, so that a
 * service restarting on its own data sends none. One call naming several existing indexes makes FerretDB 1.24 panic.
 * An index whose name exists is kept as it is, even if its definition here has changed.
 * @example await ensureIndexes(db.collection('orders'), [{ key: { userId: 1 }, name: 'by_buyer' }, outboxIndex])
 */
export async function ensureIndexes<D extends Document>(collection: Collection<D>, indexes: ReadonlyArray<IndexDescription & { name: string }>) {
  const existing = new Set((await indexesOf(collection)).map((index) => index.name))
  for (const { key, ...options } of indexes) {
    // Index options apart from command options: the two-argument form is deprecated.
    if (!existing.has(options.name)) await collection.createIndex(key, options, {})
  }
}

// `indexes()` is the `listIndexes` command, typed.
async function indexesOf<D extends Document>(collection: Collection<D>) {
  try {
    return await collection.indexes()
  } catch (err) {
    // NamespaceNotFound: the collection is created by its first write or index, and has none until then.
    if ((err as { code?: number }).code === 26) return []
    throw err
  }
}

/** The index `mongoOutbox` reads pending events through. */
export const outboxIndex = { key: { 'outbox.id': 1 }, name: 'by_pending_event', sparse: true } as const
