import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
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
  const read = await listen(createReadApp({ namespaces, store, engine }), options.readPort ?? 0)
  const write = await listen(createWriteApp({ namespaces, store }), options.writePort ?? 0).catch(async (error: unknown) => {
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

function listen(app: Hono, port: number): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
    server.once('error', reject)
    server.once('listening', () => {
      const address = server.address()
      const actual = typeof address === 'object' && address ? address.port : port
      resolve({
        url: `http://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            // Clients keep sockets alive; without this close() would wait for them to time out.
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
  })
}
