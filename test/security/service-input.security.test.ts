import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUpNative } from '../../dev/src/kratos'
import { startLocalStack, type LocalStack } from '../../dev/src/stack'

// Items 6 (the services' half), 8 (the Stripe web hook) and 9 of issue 8, against the running services.
let stack: LocalStack
let token: string

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: ':memory:', quiet: true })
  token = (await signUpNative(`${stack.url}/.ory`, `input.${process.pid}@example.com`, 'a long enough password')).sessionToken
})
afterAll(() => stack?.close())

type Problem = { status: number; code: string; detail: string; errors?: { field: string; message: string }[] }

const overLimit = JSON.stringify({ title: 'Too big', price: 1000, description: 'x'.repeat(70 * 1024) })

// One write route of each service, called on the service itself (not through the gateway, which has its own limit).
const writes: Array<[appId: string, path: string]> = [
  ['auth', '/hooks/registration'],
  ['tickets', '/api/tickets'],
  ['orders', '/api/orders'],
  ['payments', '/api/payments'],
  ['expiration', '/events/order.created'],
]

describe('request bodies on every service', () => {
  it.each(writes)('when %s gets a body over 64 KiB on %s, then 413 as a problem document', async (appId, path) => {
    const res = await fetch(`${stack.services[appId]!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-token': token },
      body: overLimit,
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload-too-large' })
  })

  it('when the tickets service is sent a large chunked body without a length, then 413 too', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)))
        controller.close()
      },
    })
    const res = await fetch(`${stack.services.tickets!.url}/api/tickets`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': token }, body: chunks, duplex: 'half',
    } as RequestInit & { duplex: 'half' })
    expect(res.status).toBe(413)
  })
})

describe('free text that others see', () => {
  const list = (fields: object) =>
    fetch(`${stack.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-token': token },
      body: JSON.stringify({ price: 1000, ...fields }),
    })

  it.each([
    ['a NUL in the title', { title: 'Opera\u0000night' }, 'title'],
    ['a right-to-left override in the title', { title: 'Opera \u202Ethgin' }, 'title'],
    ['an escape character in the description', { title: 'Opera night', description: 'Row 5\u001b[31m' }, 'description'],
    ['a first-strong isolate in the description', { title: 'Opera night', description: 'Row \u20685' }, 'description'],
  ])('when a ticket is listed with %s, then 400 validation-failed names the field', async (_case, fields, field) => {
    const res = await list(fields)
    expect(res.status).toBe(400)
    const body = (await res.json()) as Problem
    expect(body.code).toBe('validation-failed')
    expect(body.errors?.map((e) => e.field)).toEqual([field])
  })

  it('when a description has line breaks and tabs, then the ticket is listed', async () => {
    const res = await list({ title: 'Opera night', description: 'Row 5\n\tSeat 12' })
    expect(res.status).toBe(201)
  })
})

describe('the Stripe web hook without a signing secret', () => {
  it('when Stripe delivers, then a neutral 503 that names no setting', async () => {
    const res = await fetch(`${stack.url}/api/payments/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(JSON.parse(text)).toMatchObject({ status: 503, code: 'webhook-not-configured' })
    expect(text).not.toMatch(/STRIPE|SECRET|env/i)
  })
})
