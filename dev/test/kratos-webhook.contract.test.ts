import { afterEach, describe, expect, it } from 'vitest'
import { signUpNative, startKratos } from '../src/kratos'
import { startHookReceiver, startKratosWithHook } from './kratos-test-kit'

const nativeRegister = async (url: string, email: string) => {
  const flow = (await (await fetch(`${url}/self-service/registration/api`)).json()) as { ui: { action: string } }
  const response = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'password', traits: { email }, password: 'long enough 1' }),
  })
  return { status: response.status, body: (await response.json()) as any, flowId: new URL(flow.ui.action).searchParams.get('flow') }
}

describe('Kratos stand-in: registration web hook', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it('when someone registers, then the hook gets the configured key header and {identityId, email, flowId} with the saved id', async () => {
    const { kratos, hook, close } = await startKratosWithHook()
    cleanups.push(close)

    const { status, body, flowId } = await nativeRegister(kratos.url, 'hooked@example.com')

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

    const { status, body } = await nativeRegister(kratos.url, 'refused@example.com')
    const again = await nativeRegister(kratos.url, 'refused@example.com')

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
    expect(again.body.ui.messages[0].id).toBe(4000007)
  })

  it('when the hook answers 5xx, then Kratos retries twice and gives up with a generic error', async () => {
    const { kratos, hook, close } = await startKratosWithHook()
    cleanups.push(close)
    hook.state.status = 503

    const { status, body } = await nativeRegister(kratos.url, 'flaky@example.com')

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
})
