import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { listen } from '@ticketing/shared/platform'
import { createCheckEngine } from './check-engine'
import { loadNamespaces } from './opl-parser'
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
}

export interface RunningKeto {
  readUrl: string
  writeUrl: string
  close(): Promise<void>
}

const DEFAULT_OPL = fileURLToPath(new URL('../../../ory/keto/namespaces.keto.ts', import.meta.url))

/**
 * Starts a local Keto (read and write API on 127.0.0.1) that evaluates the project's OPL file;
 * relationships live in memory and belong to this instance only.
 * @example const keto = await startKeto(); new PermissionApi(new Configuration({ basePath: keto.readUrl }))
 */
export async function startKeto(options: KetoOptions = {}): Promise<RunningKeto> {
  const oplPath = options.oplPath ?? DEFAULT_OPL
  const namespaces = loadNamespaces(await readFile(oplPath, 'utf8'), oplPath)
  const store = createTupleStore()
  const engine = createCheckEngine(namespaces, store, options.maxDepth ?? 5)
  const read = await listen(createReadApp({ namespaces, store, engine }), { port: options.readPort ?? 0 })
  const write = await listen(createWriteApp({ namespaces, store }), { port: options.writePort ?? 0 }).catch(async (error: unknown) => {
    await read.close()
    throw error
  })
  return {
    readUrl: read.url,
    writeUrl: write.url,
    close: async () => {
      await Promise.all([read.close(), write.close()])
    },
  }
}
