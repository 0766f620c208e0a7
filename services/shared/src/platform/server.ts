import { serve } from '@hono/node-server'

export type RunningServer = { url: string; port: number; close(): Promise<void> }

/**
 * Serves a Hono app on 127.0.0.1 (or `hostname`) and resolves once it listens; port 0 picks a free port.
 * `close` stops accepting at once, lets requests in flight finish and send their whole response, and
 * cuts whatever is still running after `graceMs` (default 10 s).
 * @example const server = await listen(app, { port: 0 })
 */
export function listen(app: { fetch: Parameters<typeof serve>[0]['fetch'] }, options: { port: number; hostname?: string; graceMs?: number }): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1'
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            if (!('closeAllConnections' in server)) return
            // A keep-alive connection that finishes its response goes idle; end it then, not at its timeout.
            const idle = setInterval(() => server.closeIdleConnections(), 50)
            const force = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 10_000)
            server.once('close', () => (clearInterval(idle), clearTimeout(force)))
          }),
      })
    })
    server.once('error', reject)
  })
}

/**
 * Runs a service until SIGTERM or SIGINT, then drains it: stops accepting, lets in-flight work finish
 * (each server's grace period), runs its `close` to the end and exits. A second signal exits at once.
 * @example await runUntilSignal(() => startTickets(process.env))
 */
export async function runUntilSignal(start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  let service: { close(): Promise<void> }
  try {
    service = await start()
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  }
  let stopping = false
  const stop = () => {
    if (stopping) process.exit(1)
    stopping = true
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
