import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUpNative, startKratos, type RunningKratos } from '../src/kratos'
import {
  browser,
  csrfOf,
  kratosConfigWith,
  nodeOf,
  registerInBrowser,
  startKratosWithHook,
  type ErrorJson,
  type FlowJson,
  type RegistrationJson,
  type SessionJson,
} from './kratos-test-kit'

const noStrategy = { id: 4010003, text: 'Could not find a strategy to sign you up with. Did you fill out the form correctly?', type: 'error' }

describe('Kratos stand-in: registration', () => {
  let kratos: RunningKratos
  let close: () => Promise<void>
  beforeAll(async () => ({ kratos, close } = await startKratosWithHook()))
  afterAll(() => close())

  const submitApiAsIs = async (body: Record<string, unknown>) => {
    const flow = (await (await fetch(`${kratos.url}/self-service/registration/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: response.status, flow: (await response.json()) as FlowJson }
  }
  const submitApi = (body: Record<string, unknown>) => submitApiAsIs({ method: 'password', ...body })

  it('when the body names no method, then no strategy takes it (4010003) and no account is created', async () => {
    const { status, flow } = await submitApiAsIs({ traits: { email: 'no-method@example.com' } })
    const later = await submitApi({ traits: { email: 'no-method@example.com' }, password: 'long enough 1' })

    expect(status).toBe(400)
    expect(flow.ui.messages).toEqual([noStrategy])
    expect(later.status).toBe(200)
  })

  it('when the method is not "password", then no strategy takes it either', async () => {
    const { status, flow } = await submitApiAsIs({ method: 'profile', traits: { email: 'profile@example.com' }, password: 'long enough 1' })

    expect(status).toBe(400)
    expect(flow.ui.messages).toEqual([noStrategy])
  })

  it('when the password is missing, then the password node says it is required (4000002)', async () => {
    const { status, flow } = await submitApi({ traits: { email: 'no-password@example.com' } })

    expect(status).toBe(400)
    expect(nodeOf(flow, 'password')?.messages).toEqual([
      { id: 4000002, text: 'Property password is missing.', type: 'error', context: { property: 'password' } },
    ])
  })

  it('when the traits are missing, then the schema\'s required e-mail is reported (4000002 on traits.email)', async () => {
    const { status, flow } = await submitApi({ password: 'long enough 1' })

    expect(status).toBe(400)
    expect(nodeOf(flow, 'traits.email')?.messages.map((m) => m.id)).toEqual([4000002])
  })

  it('when the e-mail is not an e-mail, then the flow comes back with a message on traits.email and the value kept', async () => {
    const { status, flow } = await submitApi({ traits: { email: 'not-an-email' }, password: 'long enough 1' })

    expect(status).toBe(400)
    expect(nodeOf(flow, 'traits.email')?.attributes.value).toBe('not-an-email')
    expect(nodeOf(flow, 'traits.email')?.messages).toEqual([
      { id: 4000001, text: '"not-an-email" is not valid "email"', type: 'error', context: { reason: '"not-an-email" is not valid "email"' } },
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
    const body = (await response.json()) as RegistrationJson

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
    const body = (await response.json()) as ErrorJson

    expect(response.status).toBe(403)
    expect(body.error).toMatchObject({
      id: 'security_csrf_violation',
      code: 403,
      status: 'Forbidden',
      message: 'the request was rejected to protect you from Cross-Site-Request-Forgery',
    })
    expect(body.error.details?.reject_reason).toMatch(/do not match/)
  })
})

describe('Kratos stand-in: addresses from the identity schema', () => {
  it('when the schema marks the e-mail for verification only, then the identity has a verifiable address and no recovery address', async () => {
    const config = await kratosConfigWith({
      config: (c) => (c.selfservice.flows.registration.after.password.hooks = [{ hook: 'session' }]),
      schema: (s) => delete s.properties.traits.properties.email['ory.sh/kratos'].recovery,
    })
    const kratos = await startKratos({ configDir: config.dir })
    try {
      const { sessionToken } = await signUpNative(kratos.url, 'Verify.Only@example.com', 'long enough 1')
      const session = (await (await fetch(`${kratos.url}/sessions/whoami`, { headers: { 'x-session-token': sessionToken } })).json()) as SessionJson

      expect(session.identity.verifiable_addresses.map((a) => a.value)).toEqual(['verify.only@example.com'])
      expect(session.identity.recovery_addresses).toEqual([])
    } finally {
      await kratos.close()
      await config.remove()
    }
  })
})
