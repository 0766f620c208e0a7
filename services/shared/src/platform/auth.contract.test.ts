import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerInBrowser, startKratosWithHook } from '../../../../dev/test/kratos-test-kit'
import { signUpNative } from '../../../../dev/src/kratos'
import { kratosIdentify, requireUser } from './auth'
import { AppError, problemErrorHandler } from './errors'
import { createPermissions } from './permissions'
import { createLogger } from './logger'

// The identity and permission clients against the stand-ins, which speak Kratos's and Keto's HTTP APIs.
let kratos: Awaited<ReturnType<typeof startKratosWithHook>>
beforeAll(async () => {
  kratos = await startKratosWithHook()
})
afterAll(() => kratos.close())

const closedPort = 'http://127.0.0.1:9'

describe('kratosIdentify (toSession through @ory/client)', () => {
  it('when a browser forwards its session cookie, then the caller is the identity behind it', async () => {
    const { b, body } = await registerInBrowser(kratos.kratos, 'cookie@example.com')
    const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const user = await kratosIdentify({ kratosPublicUrl: kratos.kratos.url })({ cookie })
    expect(user).toEqual({ id: body.identity.id, email: 'cookie@example.com' })
  })

  it('when a native client sends its session token, then the caller is known; a wrong token or none is nobody', async () => {
    const { sessionToken, identityId } = await signUpNative(kratos.kratos.url, 'token@example.com', 'correct horse battery')
    const identify = kratosIdentify({ kratosPublicUrl: kratos.kratos.url })
    expect(await identify({ sessionToken })).toEqual({ id: identityId, email: 'token@example.com' })
    expect(await identify({ sessionToken: 'not-a-token' })).toBeNull()
    expect(await identify({})).toBeNull()
  })

  it('when Kratos does not answer, then 503 identity-unavailable, not a 401 or a 500', async () => {
    const failure = kratosIdentify({ kratosPublicUrl: closedPort })({ sessionToken: 'x' })
    await expect(failure).rejects.toMatchObject({ status: 503, code: 'identity-unavailable' })
  })

  it('when the identity server answers with a redirect, then it is not followed: the call fails and nobody is signed in', async () => {
    // A server that would vouch for anyone, and an "identity server" that only points there.
    const anyone = serve({ fetch: () => Response.json({ active: true, identity: { id: 'intruder', traits: { email: 'x@example.com' } } }), port: 0 })
    await new Promise((ready) => anyone.once('listening', ready))
    const elsewhere = `http://127.0.0.1:${(anyone.address() as AddressInfo).port}`
    const pointing = serve({ fetch: () => Response.redirect(`${elsewhere}/sessions/whoami`, 307), port: 0 })
    await new Promise((ready) => pointing.once('listening', ready))
    try {
      const identify = kratosIdentify({ kratosPublicUrl: `http://127.0.0.1:${(pointing.address() as AddressInfo).port}` })
      await expect(identify({ sessionToken: 'x' })).rejects.toThrow('the identity service refused our request with 307')
    } finally {
      anyone.close()
      pointing.close()
    }
  })

  it('when requireUser guards a route, then the forwarded cookie signs the caller in, and no session gives 401', async () => {
    const { b } = await registerInBrowser(kratos.kratos, 'guarded@example.com')
    const app = new Hono()
    app.onError(problemErrorHandler(createLogger({ name: 'test', level: 'silent' })))
    app.get('/me', requireUser(kratosIdentify({ kratosPublicUrl: kratos.kratos.url })), (c) => c.json(c.var.user))
    const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ')
    expect(await (await app.request('/me', { headers: { cookie } })).json()).toMatchObject({ email: 'guarded@example.com' })
    expect((await app.request('/me')).status).toBe(401)
  })
})

describe('createPermissions', () => {
  it('when Keto does not answer, then checks and writes fail with 503 permissions-unavailable', async () => {
    const permissions = createPermissions({ readUrl: closedPort, writeUrl: closedPort })
    await expect(permissions.check('Ticket', 't', 'edit', 'u')).rejects.toBeInstanceOf(AppError)
    await expect(permissions.check('Ticket', 't', 'edit', 'u')).rejects.toMatchObject({ status: 503, code: 'permissions-unavailable' })
    await expect(permissions.grant([{ namespace: 'Ticket', object: 't', relation: 'owners', subjectId: 'u' }])).rejects.toMatchObject({ status: 503 })
  })
})
