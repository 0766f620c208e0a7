import { serve } from '@hono/node-server'

export type RunningServer = { url: string; port: number; close(): Promise<void> }

/**
 * Serves a Hono app on 127.0.0.1 (or `hostname`) and resolves once it listens; port 0 picks a free port.
 * @example const server = await listen(app, { port: 0 })
 */
export function listen(app: { fetch: Parameters<typeof serve>[0]['fetch'] }, options: { port: number; hostname?: string }): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1'
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            // Keep-alive sockets would hold close() open; the server is going away anyway.
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
    server.once('error', reject)
  })
}

/**
 * Runs a service until SIGTERM or SIGINT, then drains it: stops accepting, finishes in-flight work, exits.
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
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void service.close().then(() => process.exit(0)))
  }
}
