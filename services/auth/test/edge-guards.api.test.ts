import { beforeEach, describe, expect, it } from 'vitest'
import type { Identify } from '@ticketing/shared/auth'
import { openSqlite } from '@ticketing/shared/sqlite'
import { silentLogger } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import { createSqliteUsersStore } from '../src/storage/users.sqlite'

// Issue 8: the body limit and cross-site requests on the auth service.
const KEY = 'k'.repeat(32)
const ann = { id: '3f1c7a8e-8f7e-4c1a-9d5b-2a6b1c0d9e8f', email: 'ann@example.com' }
// A browser's session cookie, as Kratos would resolve it.
const identify: Identify = async ({ cookie }) => (cookie === 'ory_kratos_session=ann' ? ann : null)

let app: ReturnType<typeof createApp>
beforeEach(() => {
  app = createApp({ store: createSqliteUsersStore(openSqlite(':memory:')), identify, logger: silentLogger(), webhookApiKey: KEY, clock: () => new Date('2026-06-01T10:00:00.000Z') })
})

const hook = (body: string) =>
  app.request('/hooks/registration', { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-key': KEY }, body })

describe('auth: request bodies', () => {
  it('when the registration web hook gets a body over 64 KiB, then 413 payload-too-large and no profile', async () => {
    const res = await hook(JSON.stringify({ identityId: ann.id, email: ann.email, flowId: 'f'.repeat(65 * 1024) }))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload-too-large' })
    expect((await app.request('/api/users/me', { headers: { cookie: 'ory_kratos_session=ann' } })).status).toBe(404)
  })

  it('when Kratos sends what its Jsonnet template makes, then it fits and the profile is created', async () => {
    const res = await hook(JSON.stringify({ identityId: ann.id, email: ann.email, flowId: crypto.randomUUID() }))
    expect(res.status).toBe(200)
  })
})

describe('auth: cross-site requests', () => {
  it('when a page on another origin reads the profile with the cookie, then it is answered (reads are not refused)', async () => {
    await hook(JSON.stringify({ identityId: ann.id, email: ann.email }))
    const res = await app.request('/api/users/me', { headers: { cookie: 'ory_kratos_session=ann', origin: 'http://evil.example' } })
    expect(res.status).toBe(200)
  })

  it('when a page on another origin posts to the web hook with a cookie, then 403 cross-site-request', async () => {
    const res = await app.request('/hooks/registration', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-key': KEY, cookie: 'ory_kratos_session=ann', origin: 'http://evil.example' },
      body: JSON.stringify({ identityId: ann.id, email: ann.email }),
    })
    expect(res.status).toBe(403)
  })
})
