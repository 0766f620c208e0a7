import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '@ticketing/shared/platform'
import { createGateway } from './gateway'

// Found by the fuzzer (test/security/fuzz.security.test.ts): the gateway forwarded the decoded path, which
// the URL parser read again, so `/api/tickets/..%5C..%5Cevents%5Corder.created` reached the tickets service
// as `/events/order.created`, a route only its Dapr sidecar may call, and anyone could forge events.
let upstream: RunningServer
beforeAll(async () => {
  upstream = await listen(new Hono().all('*', (c) => c.json({ path: new URL(c.req.url).pathname })), { port: 0 })
})
afterAll(() => upstream.close())

const gateway = () => createGateway({ services: { '/api/tickets': upstream.url }, kratosUrl: upstream.url })

describe('the path the gateway forwards', () => {
  it.each([
    ['/api/tickets/..%5C..%5Cevents%5Corder.created'],
    ['/api/tickets/..%5C..%5Cdapr%5Csubscribe'],
    ['/api/tickets/%252e%252e/%252e%252e/events/order.created'],
    ['/api/tickets/t1%00'],
    ['/api/tickets/%2541'],
  ])('when a service path has escapes (%s), then the service gets it as sent, still under its prefix', async (path) => {
    const res = await gateway().request(`http://gateway.test${path}`)

    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ path })
  })

  it('when a Kratos path has escapes, then Kratos gets it as sent, without /.ory', async () => {
    const res = await gateway().request('http://gateway.test/.ory/self-service/..%5C..%5Cadmin%5Cidentities')

    expect(await res.json()).toEqual({ path: '/self-service/..%5C..%5Cadmin%5Cidentities' })
  })

  it('when /.ory itself is spelt with escapes, then 404, not a path cut at the wrong place', async () => {
    const res = await gateway().request('http://gateway.test/.or%79/sessions/whoami')

    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 404, code: 'route-not-found' })
  })
})
