import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningKratos } from '../src/kratos'
import { browser, csrfOf, nodeOf, registerInBrowser, startKratosWithHook, type FlowJson } from './kratos-test-kit'

describe('Kratos stand-in: registration', () => {
  let kratos: RunningKratos
  let close: () => Promise<void>
  beforeAll(async () => ({ kratos, close } = await startKratosWithHook()))
  afterAll(() => close())

  const submitApi = async (body: Record<string, unknown>) => {
    const flow = (await (await fetch(`${kratos.url}/self-service/registration/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', ...body }),
    })
    return { status: response.status, flow: (await response.json()) as FlowJson }
  }

  it('when the e-mail is not an e-mail, then the flow comes back with a message on traits.email and the value kept', async () => {
    const { status, flow } = await submitApi({ traits: { email: 'not-an-email' }, password: 'long enough 1' })

    expect(status).toBe(400)
    expect(nodeOf(flow, 'traits.email')?.attributes.value).toBe('not-an-email')
    expect(nodeOf(flow, 'traits.email')?.messages).toEqual([
      { id: 4000040, text: 'Enter a valid email address', type: 'error', context: { value: 'not-an-email' } },
    ])
  })

  it('when the e-mail is missing, then the message is "required" (4000002) on traits.email', async () => {
    const { status, flow } = await submitApi({ traits: {}, password: 'long enough 1' })

    expect(status).toBe(400)
    expect(nodeOf(flow, 'traits.email')?.messages).toEqual([
      { id: 4000002, text: 'Property email is missing.', type: 'error', context: { property: 'email' } },
    ])
  })

  it('when the password is shorter than 8 characters, then the password node says so (4000032)', async () => {
    const { status, flow } = await submitApi({ traits: { email: 'short@example.com' }, password: 'abc1234' })

    expect(status).toBe(400)
    expect(nodeOf(flow, 'password')?.messages).toEqual([
      {
        id: 4000032,
        text: 'The password must be at least 8 characters long, but got 7.',
        type: 'error',
        context: { min_length: 8, actual_length: 7 },
      },
    ])
  })

  it('when the e-mail is taken in another letter case, then the flow says the account exists (4000007)', async () => {
    await submitApi({ traits: { email: 'taken@example.com' }, password: 'long enough 1' })
    const { status, flow } = await submitApi({ traits: { email: 'Taken@Example.COM' }, password: 'long enough 2' })

    expect(status).toBe(400)
    expect(flow.ui.messages).toEqual([
      { id: 4000007, text: 'An account with the same identifier (email, phone, username, ...) exists already.', type: 'error' },
    ])
  })

  it('when a browser registers, then it gets {session, identity, continue_with} and an HttpOnly Lax session cookie', async () => {
    const { response, body } = await registerInBrowser(kratos, 'browser-reg@example.com')

    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie().find((c) => c.startsWith('ory_kratos_session='))).toMatch(
      /^ory_kratos_session=[^;]+;.*Path=\/;.*HttpOnly;.*SameSite=Lax/,
    )
    expect(Object.keys(body)).toEqual(['session', 'identity', 'continue_with'])
    expect(body.identity).toMatchObject({ schema_id: 'default', state: 'active', traits: { email: 'browser-reg@example.com' }, metadata_public: null })
    expect(body.session).toMatchObject({ active: true, authenticator_assurance_level: 'aal1', identity: { id: body.identity.id } })
    expect(body.continue_with).toEqual([{ action: 'redirect_browser_to', redirect_browser_to: 'http://127.0.0.1:8080/' }])
  })

  it('when a native app registers, then it gets a session token because of the session hook', async () => {
    const flow = (await (await fetch(`${kratos.url}/self-service/registration/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', traits: { email: 'native@example.com' }, password: 'long enough 1' }),
    })
    const body = (await response.json()) as any

    expect(response.status).toBe(200)
    expect(body.session_token).toMatch(/^ory_st_[A-Za-z0-9]{32}$/)
    expect(body.session.identity.traits).toEqual({ email: 'native@example.com' })
    expect(body.continue_with).toEqual([{ action: 'set_ory_session_token', ory_session_token: body.session_token }])
  })

  it('when the csrf_token does not match the cookie, then Kratos refuses with security_csrf_violation', async () => {
    const b = browser(kratos)
    const flow = (await (await b.get('/self-service/registration/browser')).json()) as FlowJson
    const other = (await (await browser(kratos).get('/self-service/registration/browser')).json()) as FlowJson
    const response = await b.post(flow.ui.action, {
      method: 'password',
      traits: { email: 'csrf@example.com' },
      password: 'long enough 1',
      csrf_token: csrfOf(other),
    })
    const body = (await response.json()) as any

    expect(response.status).toBe(403)
    expect(body.error).toMatchObject({
      id: 'security_csrf_violation',
      code: 403,
      status: 'Forbidden',
      message: 'the request was rejected to protect you from Cross-Site-Request-Forgery',
    })
    expect(body.error.details.reject_reason).toMatch(/do not match/)
  })
})
