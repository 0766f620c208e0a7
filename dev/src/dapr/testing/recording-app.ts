import { Hono } from 'hono'
import { listen } from '@ticketing/shared/platform'

/** One request the sidecar made to the app. */
export interface RecordedCall {
  method: string
  path: string
  headers: Record<string, string>
  body: unknown
  /** How many calls to this method and path came before, plus one. */
  attempt: number
}

/** Options of {@link startRecordingApp}; `404` makes a discovery route answer Not Found. */
export interface RecordingAppOptions {
  subscriptions?: unknown[] | 404
  config?: Record<string, unknown> | 404
  /** Decides the answer to a delivery or actor call; default 200 `{"status":"SUCCESS"}`. */
  answer?: (call: RecordedCall) => Response | Promise<Response>
  port?: number
}

/** A running recording app. */
export interface RecordingApp {
  url: string
  port: number
  calls: RecordedCall[]
  /** Every request in arrival order, discovery and health probes included, with when it came (epoch ms). */
  requests: Array<{ method: string; path: string; at: number }>
  /** Calls received on one path, in arrival order. */
  callsTo(path: string): RecordedCall[]
  close(): Promise<void>
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Starts a tiny Hono app that plays a Dapr app: it declares subscriptions/actors and records what it receives. */
export async function startRecordingApp(options: RecordingAppOptions = {}): Promise<RecordingApp> {
  const calls: RecordedCall[] = []
  const requests: RecordingApp['requests'] = []
  const app = new Hono()
  app.use(async (c, next) => {
    requests.push({ method: c.req.method, path: c.req.path, at: Date.now() })
    await next()
  })
  const discovery = (value: unknown) => (value === undefined || value === 404 ? undefined : value)
  app.get('/dapr/subscribe', (c) => {
    const subscriptions = discovery(options.subscriptions)
    return subscriptions ? c.json(subscriptions) : c.text('not found', 404)
  })
  app.get('/dapr/config', (c) => {
    const config = discovery(options.config)
    return config ? c.json(config) : c.text('not found', 404)
  })
  app.get('/', (c) => c.text('ok'))
  app.all('*', async (c) => {
    const call: RecordedCall = {
      method: c.req.method,
      path: c.req.path,
      headers: c.req.header(),
      body: parseBody(await c.req.text()),
      attempt: calls.filter((other) => other.method === c.req.method && other.path === c.req.path).length + 1,
    }
    calls.push(call)
    return options.answer ? options.answer(call) : c.json({ status: 'SUCCESS' })
  })
  const server = await listen(app, { port: options.port ?? 0 })
  return {
    url: server.url,
    port: server.port,
    calls,
    requests,
    callsTo: (path) => calls.filter((call) => call.path === path),
    close: () => server.close(),
  }
}
