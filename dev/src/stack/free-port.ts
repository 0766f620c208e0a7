import { createServer } from 'node:net'

// Below Linux's ephemeral range (32768–60999): ports handed out for port 0 never come from here,
// so a port chosen now is not taken by another server binding port 0 before ours starts.
const FIRST = 20_000
const LAST = 32_767

/** True when nothing listens on `port` of 127.0.0.1 now. */
export const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

/** A free port on 127.0.0.1, for servers whose port must be known before they start. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST + 1))
    if (await bindable(port)) return port
  }
  throw new Error(`no free port between ${FIRST} and ${LAST}`)
}
