import { request, type Agent, type IncomingHttpHeaders } from 'node:http'

/** One request as it goes on the wire: the path raw (no URL normalisation, so `..` reaches the gateway). */
export type FuzzRequest = {
  method: string
  path: string
  headers: Record<string, string>
  body?: string | Buffer
  /** Sent in two chunks without Content-Length, as a streaming client does. */
  chunked?: boolean
}

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * Sends `req` with node:http, which, unlike fetch, leaves the path, the method and the headers as given.
 * @example const agent = new Agent({ keepAlive: true, maxSockets: 8 }); await send(agent, gatewayUrl, { method: 'GET', path: '/api/tickets/..', headers: {} })
 */
export function send(agent: Agent, base: string, req: FuzzRequest, timeoutMs = 15_000): Promise<Answer> {
  const { hostname, port } = new URL(base)
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body
  // Said outright: for GET, DELETE and a few more, Node's client would otherwise send the bytes unframed,
  // and the server would read them as the next request (Node's own 400, not our services').
  const framing = body ? (req.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }) : {}
  const headers = { ...req.headers, ...framing }
  return new Promise((resolve, reject) => {
    const outgoing = request({ agent, hostname, port, method: req.method, path: req.path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    outgoing.on('error', reject)
    if (body && req.chunked) {
      outgoing.write(body.subarray(0, body.length >> 1))
      outgoing.end(body.subarray(body.length >> 1))
    } else outgoing.end(body)
  })
}

/** Runs `work` over `items`, at most `concurrency` at a time, results in the items' order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let nextIndex = 0
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++
      results[index] = await work(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}
