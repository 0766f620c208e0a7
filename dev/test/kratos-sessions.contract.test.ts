import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUpNative, type RunningKratos } from '../src/kratos'
import { browser, csrfOf, registerInBrowser, startKratosWithHook, type FlowJson, type SessionJson } from './kratos-test-kit'

const noSession = {
  error: {
    code: 401,
    status: 'Unauthorized',
    reason: 'No valid session credentials found in the request.',
    message: 'The request could not be authorized',
  },
}

describe('Kratos stand-in: sessions and logout', () => {
  let kratos: RunningKratos
  let close: () => Promise<void>
  beforeAll(async () => ({ kratos, close } = await startKratosWithHook()))
  afterAll(() => close())

  const whoami = (headers: Record<string, string>) => fetch(`${kratos.url}/sessions/whoami`, { headers })

  it('when whoami gets the token as X-Session-Token or Bearer, then both return the same session', async () => {
    const { sessionToken, identityId } = await signUpNative(kratos.url, 'who@example.com', 'long enough 1')

    const viaHeader = await whoami({ 'x-session-token': sessionToken })
    const viaBearer = await whoami({ authorization: `Bearer ${sessionToken}` })
    const session = (await viaHeader.json()) as SessionJson

    expect(viaHeader.status).toBe(200)
    expect(viaHeader.headers.get('x-kratos-authenticated-identity-id')).toBe(identityId)
    expect(await viaBearer.json()).toEqual(session)
    expect(session).toMatchObject({
      active: true,
      authenticator_assurance_level: 'aal1',
      authentication_methods: [{ method: 'password', aal: 'aal1' }],
      identity: { id: identityId, schema_id: 'default', state: 'active', traits: { email: 'who@example.com' }, metadata_public: null },
    })
  })

  it('when whoami has no credentials or an unknown token, then it answers 401 with Kratos error JSON', async () => {
    const none = await whoami({})
    const unknown = await whoami({ 'x-session-token': 'ory_st_unknown' })

    expect(none.status).toBe(401)
    expect(await none.json()).toEqual(noSession)
    expect(unknown.status).toBe(401)
  })

  it('when a browser logs out, then it gets a logout URL, the JSON logout answers 204 and the cookie stops working', async () => {
    const { b } = await registerInBrowser(kratos, 'bye@example.com')
    const before = await b.get('/sessions/whoami')
    const logout = (await (await b.get('/self-service/logout/browser')).json()) as { logout_url: string; logout_token: string }
    const done = await b.get(`/self-service/logout?token=${logout.logout_token}`)
    const after = await b.get('/sessions/whoami')

    expect(before.status).toBe(200)
    expect(logout.logout_url).toBe(`${kratos.url}/self-service/logout?token=${logout.logout_token}`)
    expect(done.status).toBe(204)
    expect(b.jar.has('ory_kratos_session')).toBe(false)
    expect(after.status).toBe(401)
    expect((await b.get('/self-service/logout/browser')).status).toBe(401)
  })

  const csrfCookieOf = (jar: Map<string, string>) => [...jar].find(([name]) => name.startsWith('csrf_token_'))

  it('when a browser logs out, then it gets a new anti-CSRF cookie, which the next flow uses', async () => {
    const { b } = await registerInBrowser(kratos, 'rotate@example.com')
    const [name, before] = csrfCookieOf(b.jar) ?? []
    const logout = (await (await b.get('/self-service/logout/browser')).json()) as { logout_token: string }
    await b.get(`/self-service/logout?token=${logout.logout_token}`)
    const [, after] = csrfCookieOf(b.jar) ?? []
    const flow = (await (await b.get('/self-service/login/browser')).json()) as FlowJson
    const login = await b.post(flow.ui.action, {
      method: 'password',
      identifier: 'rotate@example.com',
      password: 'correct horse battery',
      csrf_token: csrfOf(flow),
    })

    expect(name).toBeDefined()
    expect(after).toBeTruthy()
    expect(after).not.toBe(before)
    expect(csrfCookieOf(b.jar)?.[0]).toBe(name)
    expect(login.status).toBe(200)
  })

  it('when a browser without a session signs up, then the session cookie comes with a new anti-CSRF cookie', async () => {
    const b = browser(kratos)
    const flow = (await (await b.get('/self-service/registration/browser')).json()) as FlowJson
    const [, before] = csrfCookieOf(b.jar) ?? []
    await b.post(flow.ui.action, { method: 'password', traits: { email: 'fresh-csrf@example.com' }, password: 'long enough 1', csrf_token: csrfOf(flow) })
    const [, after] = csrfCookieOf(b.jar) ?? []

    expect(before).toBeTruthy()
    expect(after).toBeTruthy()
    expect(after).not.toBe(before)
  })

  it('when a native app logs out with its token, then it answers 204, the token is revoked and a second logout is 403', async () => {
    const { sessionToken } = await signUpNative(kratos.url, 'native-bye@example.com', 'long enough 1')
    const logoutApi = () =>
      fetch(`${kratos.url}/self-service/logout/api`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session_token: sessionToken }),
      })
    const response = await logoutApi()

    expect(response.status).toBe(204)
    expect((await whoami({ 'x-session-token': sessionToken })).status).toBe(401)
    expect((await logoutApi()).status).toBe(403)
  })
})
