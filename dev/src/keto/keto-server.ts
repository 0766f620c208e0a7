import { fileURLToPath } from 'node:url'
import { listen } from '@ticketing/shared/platform'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { createCheckEngine } from './check-engine'
import { loadNamespacesApart } from './opl-load'
import { createReadApp } from './read-api'
import { createTupleStore } from './tuple-store'
import { createWriteApp } from './write-api'

export interface KetoOptions {
  /** The OPL file to evaluate; defaults to the repository's ory/keto/namespaces.keto.ts. */
  oplPath?: string
  /** 0 (the default) picks a free port. */
  readPort?: number
  writePort?: number
  /** Keto's `limit.max_read_depth`; 5 unless set. */
  maxDepth?: number
  /** Where the relationships are kept; the caller closes it. Unless set, a private in-memory database. */
  db?: DatabaseSync
}

export interface RunningKeto {
  readUrl: string
  writeUrl: string
  close(): Promise<void>
}

const DEFAULT_OPL = fileURLToPath(new URL('../../../ory/keto/namespaces.keto.ts', import.meta.url))

/**
 * Starts a local Keto (read and write API on 127.0.0.1) that evaluates the project's OPL file;
 * relationships are kept in `options.db`, so a new instance on the same file sees every one of them.
 * @example const keto = await startKeto(); new PermissionApi(new Configuration({ basePath: keto.readUrl }))
 */
export async function startKeto(options: KetoOptions = {}): Promise<RunningKeto> {
  const oplPath = options.oplPath ?? DEFAULT_OPL
  const namespaces = await loadNamespacesApart(oplPath)
  const db = options.db ?? openSqlite(':memory:')
  // Only a database opened here is closed here; a given one belongs to the caller.
  const closeOwnDb = () => {
    if (!options.db) db.close()
  }
  const store = createTupleStore(db)
  const engine = createCheckEngine(namespaces, store, options.maxDepth ?? 5)
  const read = await listen(createReadApp({ namespaces, store, engine }), { port: options.readPort ?? 0 }).catch((error: unknown) => {
    closeOwnDb()
    throw error
  })
  const write = await listen(createWriteApp({ namespaces, store }), { port: options.writePort ?? 0 }).catch(async (error: unknown) => {
    await read.close()
    closeOwnDb()
    throw error
  })
  return {
    readUrl: read.url,
    writeUrl: write.url,
    close: async () => {
      await Promise.all([read.close(), write.close()])
      closeOwnDb()
    },
  }
}
