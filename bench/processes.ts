import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'

/** A measured server in a process of its own. */
export interface ServerProcess<T> {
  /** What it printed when it was ready. */
  info: T
  pid: number
  /** Resident memory now, in MiB. */
  rssMiB(): number
  stop(): Promise<void>
}

/** Starts `bench/<file>` under tsx; resolves with the JSON line it prints once ready. */
export function startServer<T>(file: string, env: Record<string, string>): Promise<ServerProcess<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, file)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return new Promise((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`${file} exited (${code}) before it was ready`)))
    createInterface({ input: child.stdout }).once('line', (line) => {
      ready({
        info: JSON.parse(line) as T,
        pid: child.pid!,
        rssMiB: () => rssMiB(child.pid!),
        async stop() {
          child.kill('SIGTERM')
          await exited
        },
      })
    })
  })
}

/** VmRSS of a process, in MiB (Linux); 0 once it is gone. */
export function rssMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return Math.round(Number(kb ?? 0) / 1024)
  } catch {
    return 0
  }
}

/** Samples the process's resident memory every 100 ms while `work` runs; resolves with the work and the peak. */
export async function peakRss<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peakMiB = rssMiB(pid)
  const timer = setInterval(() => (peakMiB = Math.max(peakMiB, rssMiB(pid))), 100)
  try {
    return { result: await work, peakMiB }
  } finally {
    clearInterval(timer)
  }
}
