import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '@ticketing/shared/platform'
import { createGateway } from '../../dev/src/gateway'

// Issue 8, item 8: TRACE and Expect: 100-continue got the gateway's 502, and its errors named what is behind it.
type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw HTTP request: fetch refuses TRACE and Expect itself, a client on the network does not. */
function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    // With Expect: 100-continue the body waits for the server's go-ahead, as curl does.
    if (init.headers?.expect) req.on('continue', () => req.end(init.body))
    else req.end(init.body)
  })
}

let upstream: RunningServer
let gateway: RunningServer
beforeAll(async () => {
  upstream = await listen({ fetch: () => Response.json({ ok: true }) }, { port: 0 })
  gateway = await listen(
    createGateway({ services: { '/api/tickets': upstream.url, '/api/gone': 'http://127.0.0.1:9' }, kratosUrl: upstream.url }),
    { port: 0 },
  )
})
afterAll(async () => {
  await gateway.close()
  await upstream.close()
})

describe('requests the gateway does not take', () => {
  it.each([
    ['TRACE', '/api/tickets'],
    ['TRACE', '/.ory/sessions/whoami'],
    ['TRACE', '/'],
    ['TRACE', '/api/tickets/t1?x=1'],
  ])('when %s %s arrives, then 405 problem with Allow, not 502', async (method, path) => {
    const res = await send(`${gateway.url}${path}`, { method })

    expect(res.status).toBe(405)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
    expect(JSON.parse(res.body)).toMatchObject({ status: 405, code: 'method-not-allowed' })
  })

  it.each(['/api/tickets', '/.ory/self-service/login?flow=f1'])('when a POST to %s sends Expect: 100-continue, then 417 problem, not 502', async (path) => {
    const res = await send(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { expect: '100-continue', 'content-type': 'application/json' },
      body: '{"title":"x","price":100}',
    })

    expect(res.status).toBe(417)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(JSON.parse(res.body)).toMatchObject({ status: 417, code: 'expectation-failed' })
  })
})

describe('the gateway\'s own errors', () => {
  it('when the service behind a path does not answer, then a neutral 502 problem that names nothing behind the gateway', async () => {
    const res = await send(`${gateway.url}/api/gone/x?secret=1`, { method: 'GET' })

    expect(res.status).toBe(502)
    expect(JSON.parse(res.body)).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: 'The service did not answer; try again shortly',
      code: 'bad-gateway',
    })
    expect(res.body).not.toMatch(/127\.0\.0\.1|:9\b|ECONNREFUSED|fetch failed|at \w+ \(|\/api\/gone/)
  })

  it('when no route takes a request, then a 404 problem, not plain text', async () => {
    const res = await send(`${gateway.url}/`, { method: 'POST', body: 'x' })

    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(JSON.parse(res.body)).toMatchObject({ status: 404, code: 'route-not-found' })
  })
})
