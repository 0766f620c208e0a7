import { Configuration, FrontendApi } from '@ory/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../src/kratos/passwords'
import type { RunningKratos } from '../src/kratos'
import { startKratosWithHook } from './kratos-test-kit'

describe('Kratos stand-in: official client', () => {
  let kratos: RunningKratos
  let close: () => Promise<void>
  beforeAll(async () => ({ kratos, close } = await startKratosWithHook()))
  afterAll(() => close())

  it('when @ory/client runs native registration, login and toSession, then it accepts every answer', async () => {
    const frontend = new FrontendApi(new Configuration({ basePath: kratos.url }))

    const { data: flow } = await frontend.createNativeRegistrationFlow()
    const { data: registered } = await frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'password', traits: { email: 'client@example.com' }, password: 'long enough 1' },
    })
    const { data: loginFlow } = await frontend.createNativeLoginFlow()
    const { data: loggedIn } = await frontend.updateLoginFlow({
      flow: loginFlow.id,
      updateLoginFlowBody: { method: 'password', identifier: 'client@example.com', password: 'long enough 1' },
    })
    const { data: session } = await frontend.toSession({ xSessionToken: loggedIn.session_token })

    expect(registered.identity.traits).toEqual({ email: 'client@example.com' })
    expect(session.identity?.id).toBe(registered.identity.id)
    expect(session.active).toBe(true)
  })

  it('when the client calls toSession without credentials, then it rejects with the 401 error body', async () => {
    const frontend = new FrontendApi(new Configuration({ basePath: kratos.url }))

    const failure = await frontend.toSession().catch((error: { response: { status: number; data: unknown } }) => error.response)

    expect(failure).toMatchObject({ status: 401, data: { error: { code: 401, status: 'Unauthorized' } } })
  })

  it('when a password is hashed twice, then the salts differ, the plaintext is absent and only it verifies', async () => {
    const [first, second] = await Promise.all([hashPassword('s3cret password'), hashPassword('s3cret password')])

    expect(first).not.toBe(second)
    expect(first).not.toContain('s3cret')
    expect(await verifyPassword('s3cret password', first)).toBe(true)
    expect(await verifyPassword('s3cret passwore', first)).toBe(false)
  })
})
