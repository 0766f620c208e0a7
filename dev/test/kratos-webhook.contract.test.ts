import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { signUpNative, startKratos } from '../src/kratos'
import {
  kratosConfigWith,
  startHookReceiver,
  startKratosWithHook,
  type ErrorJson,
  type FlowJson,
  type KratosYml,
  type RegistrationJson,
  type WebHookYml,
} from './kratos-test-kit'

// The project's kratos.yml lists the web hook first.
const firstHook = (config: KratosYml) => config.selfservice.flows.registration.after.password.hooks[0] as WebHookYml

/** Polls until the condition holds; the hook under test runs in the background. */
async function eventually(condition: () => boolean) {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(5)
}

/** Registers through an API flow; `Body` is the answer the test expects. */
const nativeRegister = async <Body extends RegistrationJson | ErrorJson | FlowJson>(url: string, email: string) => {
  const flow = (await (await fetch(`${url}/self-service/registration/api`)).json()) as { ui: { action: string } }
  const response = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'password', traits: { email }, password: 'long enough 1' }),
  })
  return { status: response.status, body: (await response.json()) as Body, flowId: new URL(flow.ui.action).searchParams.get('flow') }
}

describe('Kratos stand-in: registration web hook', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it('when someone registers, then the hook gets the configured key header and {identityId, email, flowId} with the saved id', async () => {
    const { kratos, hook, close } = await startKratosWithHook()
    cleanups.push(close)

    const { status, body, flowId } = await nativeRegister<RegistrationJson>(kratos.url, 'hooked@example.com')

    expect(status).toBe(200)
    expect(hook.calls).toHaveLength(1)
    expect(hook.calls[0]?.headers['x-webhook-key']).toBe('test-key')
    expect(hook.calls[0]?.headers['content-type']).toBe('application/json')
    expect(hook.calls[0]?.body).toEqual({ identityId: body.identity.id, email: 'hooked@example.com', flowId })
  })

  it('when the hook answers 4xx, then registration answers 502 but the identity was already saved', async () => {
    const { kratos, hook, close } = await startKratosWithHook()
    cleanups.push(close)
    hook.state.status = 403

    const { status, body } = await nativeRegister<ErrorJson>(kratos.url, 'refused@example.com')
    const again = await nativeRegister<FlowJson>(kratos.url, 'refused@example.com')

    expect(status).toBe(502)
    expect(body).toEqual({
      error: {
        code: 502,
        status: 'Bad Gateway',
        reason: 'A third-party upstream service responded improperly. Please try again later.',
        message: 'webhook failed with status code 403',
      },
    })
    expect(hook.calls).toHaveLength(1)
    expect(again.body.ui.messages?.[0]?.id).toBe(4000007)
  })

  it('when the hook answers 5xx, then Kratos retries twice and gives up with a generic error', async () => {
    const { kratos, hook, close } = await startKratosWithHook()
    cleanups.push(close)
    hook.state.status = 503

    const { status, body } = await nativeRegister<ErrorJson>(kratos.url, 'flaky@example.com')

    expect(hook.calls).toHaveLength(3)
    // An API flow falls back to 400 for an error without its own status; the body still says 500.
    expect(status).toBe(400)
    expect(body.error).toEqual({ code: 500, status: 'Internal Server Error', message: `POST ${hook.url} giving up after 3 attempt(s)` })
  })

  it('when the hook is unreachable, then registration fails with the HTTP client give-up error', async () => {
    const receiver = await startHookReceiver()
    const deadUrl = receiver.url
    await receiver.close()
    const kratos = await startKratos({ webhookUrl: deadUrl, webhookRetryWaitMs: 1 })
    cleanups.push(() => kratos.close())

    await expect(signUpNative(kratos.url, 'lost@example.com', 'long enough 1')).rejects.toThrow(/giving up after 3 attempt\(s\)/)
  })

  it('when the hook sets response.ignore, then registration does not wait for it and a refusing hook is only logged', async () => {
    const hook = await startHookReceiver()
    cleanups.push(hook.close)
    hook.state.status = 403
    const config = await kratosConfigWith({ config: (c) => (firstHook(c).config.response = { ignore: true, parse: false }) })
    cleanups.push(config.remove)
    const warnings: string[] = []
    const logger = { info() {}, error() {}, warn: (_: object, message?: string) => void warnings.push(message ?? '') }
    const kratos = await startKratos({ configDir: config.dir, webhookUrl: hook.url, webhookApiKey: 'test-key', logger })
    cleanups.push(() => kratos.close())

    const { status, body } = await nativeRegister<RegistrationJson>(kratos.url, 'ignored@example.com')
    await eventually(() => warnings.length > 0)

    expect(status).toBe(200)
    expect(body.session_token).toMatch(/^ory_st_/)
    const aFlowId: unknown = expect.any(String)
    expect(hook.calls.map((call) => call.body)).toEqual([{ identityId: body.identity.id, email: 'ignored@example.com', flowId: aFlowId }])
    expect(warnings).toEqual([
      'Webhook request failed but the error was ignored because the configuration indicated that the upstream response should be ignored',
    ])
  })

  it.each<[string, (config: KratosYml) => void, RegExp]>([
    ['the hook has no url', (c) => delete firstHook(c).config.url, /^kratos\.yml: selfservice\.flows\.registration\.after\.password\.hooks\.0\.config\.url: /],
    ['the hook has no method', (c) => delete firstHook(c).config.method, /hooks\.0\.config\.method: /],
    ['the hook parses its response', (c) => (firstHook(c).config.response.parse = true), /response\.parse: true .*is not supported by the local Kratos stand-in/],
    ['the hook can interrupt', (c) => (firstHook(c).config.can_interrupt = true), /can_interrupt: true is not supported/],
    ['the hook sends headers', (c) => (firstHook(c).config.headers = { 'x-extra': '1' }), /hooks\.0\.config: Unrecognized key: "headers"/],
    ['a hook type is unknown', (c) => (firstHook(c).hook = 'show_verification_ui'), /hook "show_verification_ui" is not supported/],
    ['a lifespan is not a duration', (c) => (c.selfservice.flows.login.lifespan = 'soon'), /selfservice\.flows\.login\.lifespan: "soon" is neither a Go duration/],
  ])('when %s, then the stand-in refuses to start and says why', async (_, edit, message) => {
    const config = await kratosConfigWith({ config: edit })
    cleanups.push(config.remove)

    await expect(startKratos({ configDir: config.dir })).rejects.toThrow(message)
  })
})
