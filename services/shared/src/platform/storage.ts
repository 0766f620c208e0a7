import type { Db } from 'mongodb'
import { connectMongo } from './mongo'
import { openDataFile, type DatabaseSync } from './sqlite'

/** Where a service keeps its data: MongoDB in the cluster, an SQLite file on one machine. */
export type Storage = ({ kind: 'mongodb'; db: Db } | { kind: 'sqlite'; db: DatabaseSync }) & {
  /** What the start-up log says about it: the database name, or the file. */
  where: string
  close: () => Promise<void>
}

/**
 * Opens a service's storage: its MongoDB database (named after the service) when MONGO_URL is set,
 * otherwise `<DATA_DIR>/<name>.db` (`DATA_DIR=:memory:` keeps it in memory, for tests).
 * @example const storage = await openStorage('tickets', config)
 */
export async function openStorage(name: string, config: { MONGO_URL?: string | undefined; DATA_DIR: string }): Promise<Storage> {
  if (config.MONGO_URL) {
    const mongo = await connectMongo(config.MONGO_URL, name)
    return { kind: 'mongodb', db: mongo.db, where: `mongodb database ${name}`, close: () => mongo.close() }
  }
  const db = openDataFile(config.DATA_DIR, name)
  return { kind: 'sqlite', db, where: db.location() ?? ':memory:', close: async () => db.close() }
}
