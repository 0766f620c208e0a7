import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'

/** A server this runner started: its log file, and ways to stop it. */
export interface ManagedProcess {
  name: string
  pid: number
  logFile: string
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<string>
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>
  /** SIGKILL at once, as a crash would. */
  kill(): Promise<void>
}

export interface ProcessOptions {
  name: string
  command: string
  args: string[]
  env?: Record<string, string | undefined>
  cwd?: string
  logFile: string
}

/** The last lines of a log, for an error that says why a server did not start. */
export const logTail = (file: string, lines = 30) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Starts a server with its output appended to `logFile`. */
export function startProcess(options: ProcessOptions): ManagedProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' })
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ? { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env } : process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log, { end: false })
  child.stderr?.pipe(log, { end: false })
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)))
    child.once('error', (err) => resolve(err.message))
  }).finally(() => log.end())
  const gone = () => child.exitCode !== null || child.signalCode !== null
  return {
    name: options.name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 10_000) {
      if (gone()) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
    async kill() {
      if (gone()) return
      child.kill('SIGKILL')
      await exited
    },
  }
}

/**
 * Resolves once `probe` says the server is ready; rejects with the log's tail when the process exits
 * first or `timeoutMs` passes.
 */
export async function whenReady(proc: ManagedProcess, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  let exit: string | undefined
  void proc.exited.then((code) => (exit = code))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`${proc.name} exited (${exit}) before it was ready:\n${logTail(proc.logFile)}`)
    if (await probe().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${proc.name} was not ready within ${timeoutMs / 1000} s:\n${logTail(proc.logFile)}`)
}

/** A probe that is true once `url` answers with one of `statuses`. */
export const answers =
  (url: string, statuses: number[] = [200, 204]) =>
  async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) })
    await res.body?.cancel()
    return statuses.includes(res.status)
  }

/** Runs a command to its end; rejects with its output when it fails. */
export function run(command: string, args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${err || out}`))))
  })
}
