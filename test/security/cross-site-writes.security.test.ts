import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUpNative } from '../../dev/src/kratos'
import { startLocalStack, type LocalStack } from '../../dev/src/stack'

// Item 7 of issue 8: a page on another origin must not write with the browser's session cookie.
let stack: LocalStack
let cookie: string
let token: string

type Flow = { ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] } }

/** The `name=value` pairs of a response's Set-Cookie lines, as a browser would send them back. */
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')

/** Signs up through the browser registration flow (as the web app does, asking for JSON) and returns the cookies. */
async function signUpInBrowser(email: string): Promise<string> {
  const start = await fetch(`${stack.url}/.ory/self-service/registration/browser`, { headers: { accept: 'application/json' } })
  const csrfCookie = cookiesOf(start)
  const flow = (await start.json()) as Flow
  const csrf = flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token')?.attributes.value
  const done = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', cookie: csrfCookie, origin: stack.url },
    body: JSON.stringify({ method: 'password', traits: { email }, password: 'a long enough password', csrf_token: csrf }),
  })
  if (done.status !== 200) throw new Error(`browser registration failed: ${done.status} ${await done.text()}`)
  return `${csrfCookie}; ${cookiesOf(done)}`
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: ':memory:', quiet: true })
  cookie = await signUpInBrowser(`cookie.${process.pid}@example.com`)
  token = (await signUpNative(`${stack.url}/.ory`, `token.${process.pid}@example.com`, 'a long enough password')).sessionToken
})
afterAll(() => stack?.close())

const listTicket = (headers: Record<string, string>) =>
  fetch(`${stack.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title: 'Cross-site test', price: 1000 }),
  })

describe('cookie-authenticated writes through the gateway', () => {
  it('when a page on another origin posts with the session cookie, then 403 cross-site-request and nothing is listed', async () => {
    const res = await listTicket({ cookie, origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 403, code: 'cross-site-request' })
  })

  it("when the app's own page posts with the session cookie, then the ticket is listed", async () => {
    const res = await listTicket({ cookie, origin: stack.url, 'sec-fetch-site': 'same-origin' })
    expect(res.status).toBe(201)
  })

  it('when a cross-site request carries no Origin but Sec-Fetch-Site says cross-site, then 403', async () => {
    const res = await listTicket({ cookie, 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: 'cross-site-request' })
  })

  it('when another port of the same host posts (same-site, not same-origin), then 403', async () => {
    const sibling = new URL(stack.url)
    sibling.port = String(Number(sibling.port) + 1)
    const res = await listTicket({ cookie, origin: sibling.origin, 'sec-fetch-site': 'same-site' })
    expect(res.status).toBe(403)
  })

  it('when an API client sends its session token from any origin, then it is not affected', async () => {
    const res = await listTicket({ 'x-session-token': token, origin: 'http://evil.example' })
    expect(res.status).toBe(201)
    const bearer = await listTicket({ authorization: `Bearer ${token}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })
    expect(bearer.status).toBe(201)
  })

  it('when a request from another origin carries no cookie, then it is not refused as cross-site (just unauthenticated)', async () => {
    const res = await listTicket({ origin: 'http://evil.example' })
    expect(res.status).toBe(401)
  })

  it('when a page on another origin only reads with the cookie, then it is answered', async () => {
    const res = await fetch(`${stack.url}/api/users/me`, { headers: { cookie, origin: 'http://evil.example' } })
    expect(res.status).toBe(200)
  })
})
