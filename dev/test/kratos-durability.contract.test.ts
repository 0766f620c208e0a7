import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signUpNative, startKratos, type RunningKratos } from '../src/kratos'
import {
  browser,
  csrfOf,
  nodeOf,
  registerInBrowser,
  startHookReceiver,
  type ErrorJson,
  type FlowJson,
  type LoginJson,
  type SessionJson,
} from './kratos-test-kit'

// What `npm start` relies on: the stand-in stopped and started again on the same file and the same
// public URL (here: the same port) answers as if it had never stopped.
const hour = 3_600_000
const password = 'correct horse battery'
const duplicate = { id: 4000007, text: 'An account with the same identifier (email, phone, username, ...) exists already.', type: 'error' }

let dir: string
let hook: Awaited<ReturnType<typeof startHookReceiver>>
let running: { kratos: RunningKratos; db: DatabaseSync } | undefined
// The clock every instance runs by; tests move it forward instead of waiting.
let offsetMs = 0

async function start(database: string, port = 0): Promise<RunningKratos> {
  const db = openSqlite(database)
  const kratos = await startKratos({
    port,
    webhookUrl: hook.url,
    webhookApiKey: 'test-key',
    webhookRetryWaitMs: 1,
    now: () => new Date(Date.now() + offsetMs),
    db,
  })
  running = { kratos, db }
  return kratos
}

async function stop() {
  await running?.kratos.close()
  running?.db.close()
  running = undefined
}

/** Stops the stand-in and starts a new one on the same file and port. */
async function restart(kratos: RunningKratos) {
  await stop()
  await start(join(dir, 'kratos.db'), kratos.port)
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kratos-durability-'))
  hook = await startHookReceiver()
  offsetMs = 0
})
afterEach(async () => {
  await stop()
  await hook.close()
  await rm(dir, { recursive: true, force: true })
})

const json = async <T>(response: Response) => (await response.json()) as T
const whoami = (kratos: RunningKratos, token: string) => fetch(`${kratos.url}/sessions/whoami`, { headers: { 'x-session-token': token } })
const submitApi = async (kratos: RunningKratos, kind: 'login' | 'registration', body: object) => {
  const flow = await json<FlowJson>(await fetch(`${kratos.url}/self-service/${kind}/api`))
  return fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ method: 'password', ...body }),
  })
}

describe('Kratos stand-in: durability across a restart', () => {
  it('when someone signed up natively before a restart, then the token still works, only the password signs in and logout ends the token', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    const { sessionToken, identityId } = await signUpNative(kratos.url, 'native@example.com', password)
    const before = await json<SessionJson>(await whoami(kratos, sessionToken))

    await restart(kratos)
    const after = await whoami(kratos, sessionToken)
    const wrong = await submitApi(kratos, 'login', { identifier: 'native@example.com', password: 'not the password' })
    const login = await submitApi(kratos, 'login', { identifier: 'Native@Example.com', password })
    const loggedIn = await json<LoginJson>(login)
    const logout = await fetch(`${kratos.url}/self-service/logout/api`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_token: sessionToken }),
    })

    expect(after.status).toBe(200)
    expect(await after.json()).toEqual(before)
    expect(wrong.status).toBe(400)
    expect((await json<FlowJson>(wrong)).ui.messages?.map((m) => m.id)).toEqual([4000006])
    expect(login.status).toBe(200)
    expect(loggedIn.session.identity.id).toBe(identityId)
    expect(logout.status).toBe(204)
    expect((await whoami(kratos, sessionToken)).status).toBe(401)
    expect((await whoami(kratos, loggedIn.session_token ?? '')).status).toBe(200)
  })

  it('when someone signed up in a browser before a restart, then the cookie still works, logout ends it and the password signs in again', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    const { b, body } = await registerInBrowser(kratos, 'browser@example.com', password)

    await restart(kratos)
    const after = await b.get('/sessions/whoami')
    const logout = await json<{ logout_token: string }>(await b.get('/self-service/logout/browser'))
    const done = await b.get(`/self-service/logout?token=${logout.logout_token}`)
    const loggedOut = await b.get('/sessions/whoami')
    const flow = await json<FlowJson>(await b.get('/self-service/login/browser'))
    const login = await b.post(flow.ui.action, { method: 'password', identifier: 'browser@example.com', password, csrf_token: csrfOf(flow) })

    expect(after.status).toBe(200)
    expect((await json<SessionJson>(after)).identity).toMatchObject({ id: body.identity.id, traits: { email: 'browser@example.com' } })
    expect(done.status).toBe(204)
    expect(loggedOut.status).toBe(401)
    expect(login.status).toBe(200)
    expect((await json<SessionJson>(await b.get('/sessions/whoami'))).identity.id).toBe(body.identity.id)
  })

  it('when an e-mail registered before a restart is registered again after it, in any letter case, then it is refused with 4000007', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    await signUpNative(kratos.url, 'taken@example.com', password)

    await restart(kratos)
    const again = await submitApi(kratos, 'registration', { traits: { email: 'Taken@Example.COM' }, password })

    expect(again.status).toBe(400)
    expect((await json<FlowJson>(again)).ui.messages).toEqual([duplicate])
  })

  it('when a browser registration flow fetched before a restart is submitted after it, then the CSRF rules are the same and it signs up', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    const b = browser(kratos)
    const flow = await json<FlowJson>(await b.get('/self-service/registration/browser'))
    const stranger = await json<FlowJson>(await browser(kratos).get('/self-service/registration/browser'))

    await restart(kratos)
    const fetched = await b.get(`/self-service/registration/flows?id=${flow.id}`)
    const submit = (csrf_token: string) => b.post(flow.ui.action, { method: 'password', traits: { email: 'later@example.com' }, password, csrf_token })
    const forged = await submit(csrfOf(stranger))
    const signedUp = await submit(csrfOf(flow))

    expect(fetched.status).toBe(200)
    expect(await fetched.json()).toEqual(flow)
    expect(forged.status).toBe(403)
    expect((await json<ErrorJson>(forged)).error.id).toBe('security_csrf_violation')
    expect(signedUp.status).toBe(200)
    expect((await b.get('/sessions/whoami')).status).toBe(200)
  })

  it('when a login form answered with an error before a restart is fetched after it, then it still shows the error and still signs in', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    await signUpNative(kratos.url, 'form@example.com', password)
    const b = browser(kratos)
    const flow = await json<FlowJson>(await b.get('/self-service/login/browser'))
    const failed = await json<FlowJson>(
      await b.post(flow.ui.action, { method: 'password', identifier: 'form@example.com', password: 'typo', csrf_token: csrfOf(flow) }),
    )

    await restart(kratos)
    const fetched = await json<FlowJson>(await b.get(`/self-service/login/flows?id=${flow.id}`))
    const login = await b.post(flow.ui.action, { method: 'password', identifier: 'form@example.com', password, csrf_token: csrfOf(fetched) })

    expect(fetched).toEqual(failed)
    expect(fetched.ui.messages?.map((m) => m.id)).toEqual([4000006])
    expect(nodeOf(fetched, 'identifier')?.attributes.value).toBe('form@example.com')
    expect(login.status).toBe(200)
  })

  it('when a session expires, then it is refused after a restart, though it worked after the first restart', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    const { sessionToken } = await signUpNative(kratos.url, 'expiring@example.com', password)

    offsetMs = 23 * hour
    await restart(kratos)
    const stillLive = await whoami(kratos, sessionToken)
    offsetMs = 24 * hour
    await restart(kratos)
    const expired = await whoami(kratos, sessionToken)

    expect(stillLive.status).toBe(200)
    expect(expired.status).toBe(401)
  })

  it('when a flow from before a restart has expired, then it answers 410 with a replacement, and an hour later it is deleted', async () => {
    const kratos = await start(join(dir, 'kratos.db'))
    const flow = await json<FlowJson>(await fetch(`${kratos.url}/self-service/login/api`))
    const rows = () => running?.db.prepare('SELECT id FROM kratos_flows WHERE id = ?').all(flow.id).length

    offsetMs = hour + 60_000
    await restart(kratos)
    const expired = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: 'nobody@example.com', password }),
    })
    const kept = rows()
    offsetMs = 2 * hour + 60_000
    await restart(kratos)
    const gone = await fetch(`${kratos.url}/self-service/login/flows?id=${flow.id}`)

    expect(expired.status).toBe(410)
    expect((await json<ErrorJson>(expired)).error.id).toBe('self_service_flow_expired')
    expect(kept).toBe(1)
    expect(gone.status).toBe(404)
    expect(rows()).toBe(0)
  })
})
