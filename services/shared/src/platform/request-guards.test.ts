import { describe, expect, it } from 'vitest'
import { baseEnv, parseEnv } from './env'
import { createLogger } from './logger'
import { createServiceApp } from './openapi'
import { MAX_BODY_BYTES } from './request-guards'

/** A service frame with one write route that echoes how many bytes it read. */
function appWith(allowedOrigins?: string[]) {
  const app = createServiceApp({ appId: 'test', path: 'test', title: 'Test', logger: createLogger({ name: 'test', level: 'silent' }), allowedOrigins })
  app.post('/api/test', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }, 201))
  app.get('/api/test', (c) => c.json({ read: true }))
  return app
}

const post = (app: ReturnType<typeof appWith>, headers: Record<string, string>, body = '{}') =>
  app.request('http://tickets.example/api/test', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

const streamOf = (bytes: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 1024) controller.enqueue(new Uint8Array(Math.min(1024, bytes - sent)))
      controller.close()
    },
  })

describe('createServiceApp: body limit', () => {
  it('when a body declares more than 64 KiB, then 413 payload-too-large as a problem document', async () => {
    const res = await post(appWith(), { 'content-length': String(MAX_BODY_BYTES + 1) }, 'x'.repeat(MAX_BODY_BYTES + 1))
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload-too-large', detail: 'A request body may have at most 64 KiB' })
  })

  it('when a body without a length grows past 64 KiB, then 413; one of exactly 64 KiB is read whole', async () => {
    const app = appWith()
    const send = (bytes: number) => app.request('/api/test', { method: 'POST', body: streamOf(bytes), duplex: 'half' } as RequestInit & { duplex: 'half' })
    expect((await send(MAX_BODY_BYTES + 1)).status).toBe(413)
    const fits = await send(MAX_BODY_BYTES)
    expect(fits.status).toBe(201)
    expect(await fits.json()).toEqual({ bytes: MAX_BODY_BYTES })
  })
})

describe('createServiceApp: cross-site writes with a cookie', () => {
  const cookie = 'ory_kratos_session=abc'

  it('when a cookie comes with a foreign Origin, then 403 cross-site-request', async () => {
    const res = await post(appWith(['https://tickets.example']), { cookie, origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ status: 403, code: 'cross-site-request', detail: "A signed-in browser may only write from the app's own pages" })
  })

  it('when a cookie comes with a configured Origin, then the request goes through', async () => {
    const app = appWith(['https://tickets.example', 'http://localhost:5173'])
    expect((await post(app, { cookie, origin: 'https://tickets.example' })).status).toBe(201)
    expect((await post(app, { cookie, origin: 'http://localhost:5173' })).status).toBe(201)
  })

  it('when origins are configured, then a forwarded host does not widen them', async () => {
    const res = await post(appWith(['https://tickets.example']), { cookie, origin: 'http://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' })
    expect(res.status).toBe(403)
  })

  it("when no origins are configured, then the Origin must be the request's own, as the gateway forwards it", async () => {
    const app = appWith()
    const forwarded = { 'x-forwarded-host': 'shop.example:8080', 'x-forwarded-proto': 'http' }
    expect((await post(app, { cookie, origin: 'http://shop.example:8080', ...forwarded })).status).toBe(201)
    expect((await post(app, { cookie, origin: 'http://tickets.example' })).status).toBe(201)
    expect((await post(app, { cookie, origin: 'https://shop.example:8080', ...forwarded })).status).toBe(403)
    expect((await post(app, { cookie, origin: 'http://evil.example', ...forwarded })).status).toBe(403)
  })

  it('when the Origin is opaque ("null"), then 403', async () => {
    expect((await post(appWith(), { cookie, origin: 'null' })).status).toBe(403)
  })

  it('when there is no Origin, then Sec-Fetch-Site decides: cross-site and same-site are refused, same-origin and none pass', async () => {
    const app = appWith(['https://tickets.example'])
    const status = async (site?: string) => (await post(app, { cookie, ...(site ? { 'sec-fetch-site': site } : {}) })).status
    expect([await status('cross-site'), await status('same-site'), await status('same-origin'), await status('none'), await status()]).toEqual([403, 403, 201, 201, 201])
  })

  it('when the caller sends a session token, then it is an API client and any Origin passes', async () => {
    const app = appWith(['https://tickets.example'])
    expect((await post(app, { cookie, 'x-session-token': 't', origin: 'http://evil.example' })).status).toBe(201)
    expect((await post(app, { authorization: 'Bearer t', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(201)
  })

  it('when there is no cookie, or the method only reads, then the Origin does not matter', async () => {
    const app = appWith(['https://tickets.example'])
    expect((await post(app, { origin: 'http://evil.example' })).status).toBe(201)
    expect((await app.request('/api/test', { headers: { cookie, origin: 'http://evil.example' } })).status).toBe(200)
  })

  it('when a cookie comes with a foreign Origin on PUT, PATCH or DELETE, then 403 as well', async () => {
    const app = appWith(['https://tickets.example'])
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await app.request('/api/test', { method, headers: { cookie, origin: 'http://evil.example' } })
      expect([method, res.status]).toEqual([method, 403])
    }
  })
})

describe('ALLOWED_ORIGINS', () => {
  const required = { PORT: '3000', KRATOS_PUBLIC_URL: 'http://kratos' }

  it('when set to a list, then each entry becomes an origin; unset or empty, then none', () => {
    expect(parseEnv(baseEnv, { ...required, ALLOWED_ORIGINS: ' https://Tickets.example/ , http://localhost:5173' }).ALLOWED_ORIGINS).toEqual([
      'https://tickets.example',
      'http://localhost:5173',
    ])
    expect(parseEnv(baseEnv, required).ALLOWED_ORIGINS).toEqual([])
    expect(parseEnv(baseEnv, { ...required, ALLOWED_ORIGINS: '' }).ALLOWED_ORIGINS).toEqual([])
  })

  it('when an entry is not a bare http(s) origin, then start-up fails naming the variable', () => {
    expect(() => parseEnv(baseEnv, { ...required, ALLOWED_ORIGINS: 'https://tickets.example/app' })).toThrow(/ALLOWED_ORIGINS\.0: .*origin/)
    expect(() => parseEnv(baseEnv, { ...required, ALLOWED_ORIGINS: 'tickets.example' })).toThrow(/ALLOWED_ORIGINS/)
    expect(() => parseEnv(baseEnv, { ...required, ALLOWED_ORIGINS: 'ftp://tickets.example' })).toThrow(/ALLOWED_ORIGINS/)
  })
})
