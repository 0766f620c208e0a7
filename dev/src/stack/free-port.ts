import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Below Linux's ephemeral range (32768–60999): ports handed out for port 0 never come from here,
// so a port chosen now is not taken by another server binding port 0 before ours starts.
const FIRST = 20_000
const LAST = 32_767

// A port is free from the moment it is checked until its server binds it, often seconds later (daprd loads its
// components first). Every process of this project that picks ports (test workers, runs, the bench) claims
// each one with a file, so no two hand out the same port in that gap; a claim older than this lapses.
const CLAIMS = join(tmpdir(), 'ticketing-port-claims')
const CLAIM_MS = 10 * 60_000

/** True when nothing listens on `port` of 127.0.0.1 now. */
export const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

function claim(port: number): boolean {
  mkdirSync(CLAIMS, { recursive: true })
  const file = join(CLAIMS, String(port))
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
    return true
  } catch {
    try {
      if (Date.now() - statSync(file).mtimeMs < CLAIM_MS) return false
      writeFileSync(file, String(process.pid))
      return true
    } catch {
      return false
    }
  }
}

/** Claims `port` for this process when nothing listens on it and no other process of the project claimed it lately. */
export const claimPort = async (port: number) => port <= LAST && (await bindable(port)) && claim(port)

/** A free port on 127.0.0.1, for servers whose port must be known before they start. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST + 1))
    if (await claimPort(port)) return port
  }
  throw new Error(`no free port between ${FIRST} and ${LAST}`)
}
