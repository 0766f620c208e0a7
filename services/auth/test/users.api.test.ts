import type { z } from '@hono/zod-openapi'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Problem as ProblemSchema } from '@ticketing/shared/platform'
import { openSqlite } from '@ticketing/shared/sqlite'
import { silentLogger, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import { createSqliteUsersStore } from '../src/storage/users.sqlite'

const KEY = 'k'.repeat(32)
const ann = { id: '3f1c7a8e-8f7e-4c1a-9d5b-2a6b1c0d9e8f', email: 'ann@example.com' }
let clock = new Date('2026-06-01T10:00:00.000Z')
let app: ReturnType<typeof createApp>

beforeEach(() => {
  app = createApp({
    store: createSqliteUsersStore(openSqlite(':memory:')),
    identify: tokenIdentify({ 'token-ann': ann, 'token-ghost': { id: 'ghost', email: 'ghost@example.com' } }),
    logger: silentLogger(),
    webhookApiKey: KEY,
    clock: () => clock,
  })
})

type Problem = z.infer<typeof ProblemSchema>
// The body as the shape the test expects of it; the assertions check it.
const json = async <T = unknown>(res: Response): Promise<T> => (await res.json()) as T

const hook = (body: unknown, key = KEY) =>
  app.request('/hooks/registration', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Webhook-Key': key },
    body: JSON.stringify(body),
  })

describe('POST /hooks/registration (the Kratos web hook)', () => {
  it('when Kratos reports a registration, then the profile is created from the identity', async () => {
    const res = await hook({ identityId: ann.id, email: 'Ann@Example.com', flowId: 'f1' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: ann.id, email: 'ann@example.com', createdAt: clock.toISOString() })
  })

  it('when the same registration is reported twice, then the first profile stays as it was', async () => {
    await hook({ identityId: ann.id, email: ann.email })
    const first = clock.toISOString()
    clock = new Date('2026-06-02T10:00:00.000Z')
    const res = await hook({ identityId: ann.id, email: ann.email })
    expect(await res.json()).toEqual({ id: ann.id, email: ann.email, createdAt: first })
  })

  it('when the key is wrong or missing, then 401 and nothing is stored', async () => {
    expect((await hook({ identityId: ann.id, email: ann.email }, 'wrong')).status).toBe(401)
    expect((await hook({ identityId: ann.id, email: ann.email }, '')).status).toBe(401)
    expect((await app.request('/api/users/me', { headers: { 'X-Session-Token': 'token-ann' } })).status).toBe(404)
  })

  it('when the body is not what the Jsonnet template sends, then 400 names the fields', async () => {
    const res = await hook({ identityId: 'nope', email: 'not-an-email' })
    expect(res.status).toBe(400)
    expect((await json<Problem>(res)).errors?.map((e) => e.field).sort()).toEqual(['email', 'identityId'])
  })
})

describe('GET /api/users/me', () => {
  it('when signed in with a profile, then 200 with it; without a session, then 401', async () => {
    await hook({ identityId: ann.id, email: ann.email })
    const res = await app.request('/api/users/me', { headers: { Authorization: 'Bearer token-ann' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: ann.id, email: ann.email })
    expect((await app.request('/api/users/me')).status).toBe(401)
  })

  it('when signed in but no profile was ever created, then 404', async () => {
    const res = await app.request('/api/users/me', { headers: { 'X-Session-Token': 'token-ghost' } })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'user-not-found' })
  })
})

describe('service endpoints', () => {
  it('when asked, then /healthz is ok and the OpenAPI document lists the users routes', async () => {
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' })
    const doc = await json<{ paths: object }>(await app.request('/api/users/openapi.json'))
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/users/me', '/hooks/registration'])
  })
})
