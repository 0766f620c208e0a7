import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUpNative, type RunningKratos } from '../src/kratos'
import { browser, csrfOf, nodeOf, startKratosWithHook, type FlowJson, type LoginJson } from './kratos-test-kit'

const invalidCredentials = {
  id: 4000006,
  text: 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.',
  type: 'error',
}

describe('Kratos stand-in: login', () => {
  let kratos: RunningKratos
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ kratos, close } = await startKratosWithHook())
    await signUpNative(kratos.url, 'Login.Person@Example.com', 'right password')
  })
  afterAll(() => close())

  /** Logs in through an API flow; `Body` is the answer the test expects, a flow (failure) or a login. */
  const loginApi = async <Body extends FlowJson | LoginJson>(identifier: string, password: string) => {
    const flow = (await (await fetch(`${kratos.url}/self-service/login/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', identifier, password }),
    })
    return { status: response.status, body: (await response.json()) as Body }
  }

  it('when the password is wrong or the e-mail unknown, then both answer the same 4000006 message and keep the identifier', async () => {
    const wrong = await loginApi<FlowJson>('login.person@example.com', 'wrong password')
    const unknown = await loginApi<FlowJson>('nobody@example.com', 'right password')

    expect(wrong.status).toBe(400)
    expect(unknown.status).toBe(400)
    expect(wrong.body.ui.messages).toEqual([invalidCredentials])
    expect(unknown.body.ui.messages).toEqual([invalidCredentials])
    expect(nodeOf(wrong.body, 'identifier')?.attributes.value).toBe('login.person@example.com')
    expect(nodeOf(wrong.body, 'password')?.attributes).not.toHaveProperty('value')
  })

  it('when the body names no method, then no strategy takes it (4010002) and no session is issued', async () => {
    const flow = (await (await fetch(`${kratos.url}/self-service/login/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'login.person@example.com' }),
    })
    const body = (await response.json()) as FlowJson

    expect(response.status).toBe(400)
    expect(body).not.toHaveProperty('session_token')
    expect(body.ui.messages).toEqual([
      { id: 4010002, text: 'Could not find a strategy to log you in with. Did you fill out the form correctly?', type: 'error' },
    ])
  })

  it('when the password is missing, then the password node says it is required (4000002)', async () => {
    const flow = (await (await fetch(`${kratos.url}/self-service/login/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: 'login.person@example.com' }),
    })
    const body = (await response.json()) as FlowJson

    expect(response.status).toBe(400)
    expect(nodeOf(body, 'password')?.messages.map((m) => m.id)).toEqual([4000002])
  })

  it('when a page posts the form with a wrong password, then it is sent back to the login UI with 303', async () => {
    const b = browser(kratos)
    const flow = (await (await b.get('/self-service/login/browser')).json()) as FlowJson
    const response = await b.postForm(flow.ui.action, {
      method: 'password',
      identifier: 'login.person@example.com',
      password: 'wrong password',
      csrf_token: csrfOf(flow),
    })

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`http://127.0.0.1:8080/login?flow=${flow.id}`)
  })

  it('when a native app logs in with the e-mail in another case, then it gets {session_token, session}', async () => {
    const { status, body } = await loginApi<LoginJson>('  LOGIN.person@example.com', 'right password')

    expect(status).toBe(200)
    expect(body.session_token).toMatch(/^ory_st_/)
    expect(body.session.identity.traits.email).toBe('Login.Person@Example.com')
  })

  it('when a browser logs in, then it gets {session, continue_with} and the session cookie', async () => {
    const b = browser(kratos)
    const flow = (await (await b.get('/self-service/login/browser')).json()) as FlowJson
    const response = await b.post(flow.ui.action, {
      method: 'password',
      identifier: 'login.person@example.com',
      password: 'right password',
      csrf_token: csrfOf(flow),
    })
    const body = (await response.json()) as LoginJson

    expect(response.status).toBe(200)
    expect(Object.keys(body)).toEqual(['session', 'continue_with'])
    expect(body.session.identity.traits.email).toBe('Login.Person@Example.com')
    expect(b.jar.get('ory_kratos_session')).toBeTruthy()
  })

  it('when an API flow is submitted with an Origin header, then Kratos blocks it as a browser call', async () => {
    const flow = (await (await fetch(`${kratos.url}/self-service/login/api`)).json()) as FlowJson
    const response = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ method: 'password', identifier: 'login.person@example.com', password: 'right password' }),
    })
    const body = (await response.json()) as FlowJson

    expect(response.status).toBe(400)
    expect(body.ui.messages?.[0]).toMatchObject({ id: 4000001, type: 'error' })
    expect(body.ui.messages?.[0]?.text).toMatch(/included the "Origin" key/)
  })
})
