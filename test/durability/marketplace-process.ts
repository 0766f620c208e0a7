import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { freePort } from '../../dev/src/stack/free-port'

const repo = resolve(import.meta.dirname, '../..')

/** The marketplace as `npm start` runs it, in a process of its own, on a data directory that outlives it. */
export type MarketplaceProcess = {
  url: string
  /** Sends the signal and resolves with the exit code (null when killed). */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>
  /** Everything the process wrote, for a failing test's message. */
  output(): string
}

async function answering(url: string, deadline: number, child: ChildProcess): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the marketplace exited with ${child.exitCode} while starting`)
    const ok = await fetch(`${url}/api/tickets?limit=1`).then((r) => r.ok, () => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the marketplace did not answer within the start-up time')
}

/**
 * Starts `dev/src/start.ts` (what `npm start` runs) on `dataDir` and resolves once the gateway answers.
 * @example const run = await startMarketplace({ dataDir }); ...; await run.stop('SIGTERM')
 */
export async function startMarketplace(options: { dataDir: string; env?: Record<string, string> }): Promise<MarketplaceProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/src/start.ts'], {
    cwd: repo,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...options.env, PORT: String(port), DATA_DIR: options.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  const url = `http://127.0.0.1:${port}`
  try {
    await answering(url, Date.now() + 60_000, child)
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err })
  }
  return {
    url,
    stop(signal) {
      child.kill(signal)
      return exited
    },
    output: () => output,
  }
}
