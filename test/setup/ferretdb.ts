import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePort } from '../../dev/src/stack/free-port'
import { ensureGoTool } from './go-tool'

const moduleDir = resolve(import.meta.dirname, '../../dev/ferretdb')
const binary = join(moduleDir, 'bin/ferretdb')

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string
  }
}

/** Builds the embedded FerretDB once (Go is on every machine of this project), then serves it on a free port. */
export default async function setup(project: TestProject) {
  if (process.env.MONGO_URL) {
    project.provide('mongoUrl', process.env.MONGO_URL)
    return
  }
  if (!ensureGoTool({ binary, goArgs: ['build', '-o', binary, '.'], cwd: moduleDir, what: 'FerretDB (the MongoDB adapter tests)' })) {
    project.provide('mongoUrl', '')
    return
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ferretdb-'))
  const port = await freePort()
  const child = spawn(binary, ['-addr', `127.0.0.1:${port}`, '-dir', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  await waitForPort(port, child, () => log)
  project.provide('mongoUrl', `mongodb://127.0.0.1:${port}/`)

  return async () => {
    child.kill('SIGTERM')
    await new Promise((done) => child.once('exit', done))
    rmSync(dataDir, { recursive: true, force: true })
  }
}


async function waitForPort(port: number, child: ChildProcess, log: () => string) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited early:\n${log()}`)
    const open = await new Promise<boolean>((done) => {
      const socket = createConnection({ port, host: '127.0.0.1' })
      socket.once('connect', () => (socket.destroy(), done(true)))
      socket.once('error', () => done(false))
    })
    if (open) return
    await new Promise((done) => setTimeout(done, 50))
  }
  throw new Error(`FerretDB did not listen on ${port}:\n${log()}`)
}
