import { beforeEach, describe, expect, it } from 'vitest'
import type { Identify } from '@ticketing/shared/auth'
import { useKeto } from '@ticketing/shared/testing/keto'
import { createLogger } from '@ticketing/shared/platform'
import { openSqlite } from '@ticketing/shared/sqlite'
import { createApp } from '../src/app'
import type { Deps } from '../src/deps'
import { createSimulatedGateway } from '../src/gateway/simulated.gateway'
import { createStripeWebhookVerifier } from '../src/gateway/stripe-webhook'
import { createSqlitePaymentsStore } from '../src/storage/payments.sqlite'

// Issue 8: the body limit, cross-site writes and the Stripe web hook's 503, through the payments API.
const ann = { id: 'ann', email: 'ann@example.com' }
// A browser's session cookie, as Kratos would resolve it.
const identify: Identify = async ({ cookie }) => (cookie === 'ory_kratos_session=ann' ? ann : null)
const cookie = 'ory_kratos_session=ann'

type LogLine = { level: number; msg: string; code?: string }
const keto = useKeto()
let logs: LogLine[]
const build = (overrides: Partial<Deps> = {}) =>
  createApp({
    store: createSqlitePaymentsStore(openSqlite(':memory:')), gateway: createSimulatedGateway(), permissions: keto(), identify, relay: { kick() {} },
    logger: createLogger({ name: 'test', level: 'warn', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } }),
    verifyWebhook: createStripeWebhookVerifier('whsec_edge'), pubsubName: 'pubsub', currency: 'usd',
    clock: () => new Date('2026-06-01T10:00:00.000Z'), newId: () => `pay-${crypto.randomUUID()}`,
    ...overrides,
  })
let app: ReturnType<typeof build>
beforeEach(() => {
  logs = []
  app = build()
})

const post = (path: string, headers: Record<string, string>, body: string) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('payments: request bodies', () => {
  it.each(['/api/payments', '/api/payments/webhooks/stripe'])('when a body over 64 KiB is posted to %s, then 413 payload-too-large', async (path) => {
    const res = await post(path, { cookie }, JSON.stringify({ orderId: 'x'.repeat(65 * 1024), paymentMethod: 'pm_card_visa' }))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload-too-large' })
  })
})

describe('payments: cross-site writes', () => {
  it('when a page on another origin pays with the cookie, then 403 cross-site-request', async () => {
    const res = await post('/api/payments', { cookie, origin: 'http://evil.example' }, JSON.stringify({ orderId: 'o1', paymentMethod: 'pm_card_visa' }))
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ status: 403, code: 'cross-site-request' })
  })

  it("when the app's own page pays with the cookie, then the order is looked for (404: no such order)", async () => {
    const res = await post('/api/payments', { cookie, origin: 'http://localhost' }, JSON.stringify({ orderId: 'o1', paymentMethod: 'pm_card_visa' }))
    expect(await res.json()).toMatchObject({ status: 404 })
  })
})

describe('payments: the Stripe web hook without a signing secret', () => {
  it('when Stripe delivers, then a neutral 503 that names no setting, and the log says which one is missing', async () => {
    app = build({ verifyWebhook: undefined })
    const res = await post('/api/payments/webhooks/stripe', { 'stripe-signature': 't=1,v1=x' }, '{}')
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({
      type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'webhook-not-configured',
      detail: 'Web-hook deliveries cannot be accepted right now; try again later',
    })
    expect(text).not.toMatch(/STRIPE|SECRET|env/i)
    expect(logs.map((line) => [line.level, line.msg])).toContainEqual([50, 'Stripe web hook refused: STRIPE_WEBHOOK_SECRET is not set'])
  })
})
