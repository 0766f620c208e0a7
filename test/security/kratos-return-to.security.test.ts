import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningKratos } from '../../dev/src/kratos'
import { freePort, type LocalStack } from '../../dev/src/stack'
import { browser, csrfOf, registerInBrowser, startKratosWithHook, type ErrorJson, type FlowJson } from '../../dev/test/kratos-test-kit'
import { startQuietLocalStack } from '../system/support'

// Issue 8, item 2 (the Kratos half): a browser flow or a logout with return_to pointing at any
// local port made the stand-in redirect there, and the gateway fetched it (a sidecar's metadata
// came back). Kratos refuses a return_to outside selfservice.allowed_return_urls (and its own
// /self-service URLs); the stand-in's default return URLs pointed at :8080 whatever port the app ran on.

const forbidden = (returnTo: string) => ({
  error: {
    id: 'self_service_flow_return_to_forbidden',
    code: 400,
    status: 'Bad Request',
    reason: `Requested return_to URL "${returnTo}" is not allowed.`,
    message: 'The request was malformed or contained invalid parameters',
  },
})
const withReturnTo = (path: string, returnTo: string) => `${path}?return_to=${encodeURIComponent(returnTo)}`
const sidecarLike = 'http://127.0.0.1:4500/v1.0/metadata'

describe('Kratos stand-in started for an app on another port than kratos.yml names', () => {
  let kratos: RunningKratos
  let close: () => Promise<void>
  let app: string
  beforeAll(async () => {
    // The app's origin is where the stand-in itself listens, so flow actions and redirects are all reachable.
    const port = await freePort()
    app = `http://127.0.0.1:${port}`
    ;({ kratos, close } = await startKratosWithHook({ port, publicBaseUrl: app }))
  })
  afterAll(() => close?.())

  /** A browser holding a session cookie, and its logout token. */
  async function signedIn(email: string) {
    const { b } = await registerInBrowser(kratos, email)
    const { logout_token: token } = (await (await b.get('/self-service/logout/browser')).json()) as { logout_token: string }
    return { b, token }
  }

  it.each([
    ['/self-service/registration/browser', 'application/json'],
    ['/self-service/registration/browser', 'text/html'],
    ['/self-service/login/browser', 'application/json'],
    ['/self-service/login/browser', 'text/html'],
    ['/self-service/registration/api', 'application/json'],
    ['/self-service/login/api', 'application/json'],
  ])('when %s is opened (%s) with return_to at another local port, then it answers 400 return_to_forbidden and redirects nowhere', async (path, accept) => {
    const response = await fetch(`${kratos.url}${withReturnTo(path, sidecarLike)}`, { headers: { accept }, redirect: 'manual' })

    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.json()).toEqual(forbidden(sidecarLike))
  })

  it.each([
    ['//evil.example/x', 'http://evil.example/x'],
    ['/\\evil.example/x', 'http://evil.example/x'],
    ['https://evil.example/', 'https://evil.example/'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
  ])('when return_to is %s, then the registration flow refuses it as %s', async (returnTo, resolved) => {
    const response = await fetch(`${kratos.url}${withReturnTo('/self-service/registration/browser', returnTo)}`, {
      headers: { accept: 'application/json' },
    })

    expect(response.status).toBe(400)
    expect(await response.json()).toEqual(forbidden(resolved))
  })

  it("when a page registers with return_to on the app's origin, then it is sent there after sign-up", async () => {
    const returnTo = `${app}/tickets/mine?tab=selling`
    const b = browser(kratos)
    const flow = (await (await b.get(withReturnTo('/self-service/registration/browser', returnTo))).json()) as FlowJson & { return_to?: string }
    const response = await b.postForm(flow.ui.action, {
      method: 'password',
      'traits.email': 'return-to@example.com',
      password: 'a long enough password',
      csrf_token: csrfOf(flow),
    })

    expect(flow.return_to).toBe(returnTo)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(returnTo)
  })

  it('when a signed-in browser asks for a logout URL with return_to at another local port, then it answers 400 return_to_forbidden', async () => {
    const { b } = await signedIn('logout-url@example.com')

    const response = await b.get(withReturnTo('/self-service/logout/browser', sidecarLike))

    expect(response.status).toBe(400)
    expect(await response.json()).toEqual(forbidden(sidecarLike))
  })

  it("when a signed-in browser asks for a logout URL with return_to on the app's origin, then the URL carries it", async () => {
    const { b, token } = await signedIn('logout-url-ok@example.com')

    const response = await b.get(withReturnTo('/self-service/logout/browser', `${app}/bye`))

    expect(response.status).toBe(200)
    expect(((await response.json()) as { logout_url: string }).logout_url).toBe(
      `${app}/self-service/logout?token=${token}&return_to=${encodeURIComponent(`${app}/bye`)}`,
    )
  })

  it('when a page follows a logout link with return_to at another local port, then it is not redirected there', async () => {
    const { b, token } = await signedIn('logout-link@example.com')

    const response = await b.get(`/self-service/logout?token=${token}&return_to=${encodeURIComponent(sidecarLike)}`, { accept: 'text/html' })

    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.json()).toEqual(forbidden(sidecarLike))
  })

  it("when a browser registers without return_to, then it is sent to the app's real origin, not :8080", async () => {
    const { response, body } = await registerInBrowser(kratos, 'default-return@example.com')

    expect(response.status).toBe(200)
    expect(body.continue_with).toEqual([{ action: 'redirect_browser_to', redirect_browser_to: `${app}/` }])
  })

  it("when a page opens the login flow, then it is sent to the login UI on the app's real origin", async () => {
    const response = await fetch(`${kratos.url}/self-service/login/browser`, { headers: { accept: 'text/html' }, redirect: 'manual' })

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toMatch(new RegExp(`^${app}/login\\?flow=[0-9a-f-]{36}$`))
  })

  it("when a page logs out without return_to, then it is sent to the app's real origin", async () => {
    const { b, token } = await signedIn('logout-default@example.com')

    const response = await b.get(`/self-service/logout?token=${token}`, { accept: 'text/html' })

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${app}/`)
  })

  it('when return_to names the app as localhost on its real port, then the flow keeps it; the unused :8080 is refused', async () => {
    const byName = `http://localhost:${new URL(app).port}/tickets`
    const allowed = await fetch(`${kratos.url}${withReturnTo('/self-service/login/browser', byName)}`, { headers: { accept: 'application/json' } })
    const stale = await fetch(`${kratos.url}${withReturnTo('/self-service/login/browser', 'http://127.0.0.1:8080/')}`, {
      headers: { accept: 'application/json' },
    })

    expect(allowed.status).toBe(200)
    expect(((await allowed.json()) as { return_to?: string }).return_to).toBe(byName)
    expect(stale.status).toBe(400)
    expect(((await stale.json()) as ErrorJson).error.id).toBe('self_service_flow_return_to_forbidden')
  })

  it("when return_to is one of the stand-in's own self-service URLs, then the flow keeps it", async () => {
    const selfService = `${app}/self-service/login/browser`
    const response = await fetch(`${kratos.url}${withReturnTo('/self-service/registration/browser', selfService)}`, {
      headers: { accept: 'application/json' },
    })

    expect(response.status).toBe(200)
    expect(((await response.json()) as { return_to?: string }).return_to).toBe(selfService)
  })
})

describe('Kratos stand-in return_to through the gateway of the local stack', () => {
  let stack: LocalStack
  beforeAll(async () => {
    stack = await startQuietLocalStack()
  })
  afterAll(() => stack?.close())

  it("when a browser registration starts with return_to at a sidecar's metadata, then the gateway answers 400 and none of the sidecar's answer", async () => {
    const metadata = `${stack.sidecars.tickets}/v1.0/metadata`
    const response = await fetch(`${stack.url}/.ory${withReturnTo('/self-service/registration/browser', metadata)}`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    })
    const text = await response.text()

    expect(response.status).toBe(400)
    expect(JSON.parse(text)).toEqual(forbidden(metadata))
    expect(text).not.toContain('runtimeVersion')
  })

  it("when a browser registers through the gateway, then continue_with points at the gateway's own origin", async () => {
    const { response, body } = await registerInBrowser({ url: `${stack.url}/.ory`, port: 0, close: async () => {} }, 'stack-default@example.com')

    expect(response.status).toBe(200)
    expect(body.continue_with).toEqual([{ action: 'redirect_browser_to', redirect_browser_to: `${stack.url}/` }])
  })
})
