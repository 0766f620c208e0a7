import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '@ticketing/shared/platform'
import { createGateway } from '../src/gateway'

// The gateway plays the cluster's ingress for the one-machine run.
let service: RunningServer
let gateway: RunningServer
const webDir = mkdtempSync(join(tmpdir(), 'web-'))
/** What the echo service saw of a request that went through the gateway. */
type Echo = { path: string; query: Record<string, string>; cookie: string | null; method: string }
const echoOf = async (url: string) => (await (await fetch(url)).json()) as Echo

beforeAll(async () => {
  service = await listen(
    new Hono().all('*', (c) => c.json({ path: c.req.path, query: c.req.query(), cookie: c.req.header('cookie') ?? null, method: c.req.method })),
    { port: 0 },
  )
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>app</title>')
  mkdirSync(join(webDir, 'assets'))
  writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log(1)')
  gateway = await listen(
    createGateway({ services: { '/api/tickets': service.url, '/api/gone': 'http://127.0.0.1:9' }, kratosUrl: service.url, webDir }),
    { port: 0 },
  )
})
afterAll(async () => {
  await gateway.close()
  await service.close()
})

describe('gateway', () => {
  it('when a path is under a service prefix, then the service gets the same path, query, method and cookie', async () => {
    const res = await fetch(`${gateway.url}/api/tickets/t1?q=x`, { method: 'PATCH', headers: { cookie: 'a=b' } })
    expect(await res.json()).toEqual({ path: '/api/tickets/t1', query: { q: 'x' }, cookie: 'a=b', method: 'PATCH' })
    expect((await echoOf(`${gateway.url}/api/tickets`)).path).toBe('/api/tickets')
  })

  it('when a path is under /.ory, then Kratos gets it without the prefix', async () => {
    expect((await echoOf(`${gateway.url}/.ory/sessions/whoami`)).path).toBe('/sessions/whoami')
  })

  it('when the caller sends hop-by-hop headers, then they stay on its own connection', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${gateway.url}/api/tickets/x`, { headers: { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', TE: 'trailers' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(200)
  })

  it('when no service has the path, or the service does not answer, then 404 and 502 problems', async () => {
    const missing = await fetch(`${gateway.url}/api/nothing`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toContain('application/problem+json')
    const down = await fetch(`${gateway.url}/api/gone/x`)
    expect(down.status).toBe(502)
    expect(await down.json()).toMatchObject({ code: 'bad-gateway' })
  })

  it('when the web app asks for a page, then index.html; for a missing asset, then 404', async () => {
    expect(await (await fetch(`${gateway.url}/orders/abc`)).text()).toContain('<title>app</title>')
    expect(await (await fetch(`${gateway.url}/assets/app.js`)).text()).toBe('console.log(1)')
    expect((await fetch(`${gateway.url}/assets/old-build.js`)).status).toBe(404)
  })
})
