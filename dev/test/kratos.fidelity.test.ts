import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startRecordingApp, type RecordingApp } from '../src/dapr/testing/recording-app'
import { startKratos } from '../src/kratos'
import { claimResources, platformUrls } from '../src/platform/resources'
import { startRealKratos } from '../src/platform/ory'

// What real Kratos v1.3.1 was seen to do, asked of whichever Kratos this tier has: the stand-in in the
// contract tier, the real server in the platform tier (PLATFORM_PUBSUB set). A drift fails one of them.
const real = Boolean(process.env.PLATFORM_PUBSUB)
let hook: RecordingApp
let hookStatus = 200
let kratosUrl: string
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  hook = await startRecordingApp({ answer: () => new Response(hookStatus === 200 ? '{}' : 'no', { status: hookStatus }) })
  closers.push(() => hook.close())
  const webhookUrl = `${hook.url}/hooks/registration`
  const webhookApiKey = 'fidelity-test-key'
  if (real) {
    const runId = `f${Date.now().toString(36)}`
    const resources = await claimResources(runId, platformUrls(process.env), { keep: false, redisDb: 0 })
    closers.push(() => resources.remove())
    const runDir = mkdtempSync(join(tmpdir(), 'kratos-fidelity-'))
    closers.push(async () => rmSync(runDir, { recursive: true, force: true }))
    const kratos = await startRealKratos({
      bin: inject('platformBin'), runDir, dsn: resources.postgresDsn(resources.databases.kratos),
      origin: 'http://127.0.0.1:9', webhookUrl, webhookApiKey, secret: 'a fidelity secret of 32 characters',
    })
    closers.push(() => kratos.process.stop())
    kratosUrl = kratos.url
  } else {
    const kratos = await startKratos({ port: 0, webhookUrl, webhookApiKey })
    closers.push(() => kratos.close())
    kratosUrl = kratos.url
  }
}, 120_000)
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

type Message = { id: number; text: string }
type Flow = { id: string; ui: { messages?: Message[]; nodes: Array<{ attributes: { name?: string }; messages: Message[] }> } }

let people = 0
/** Submits a native registration; returns the status and every message id and text by field (`` for the form). */
async function register(fields: { email: string; password: string }) {
  const flow = (await (await fetch(`${kratosUrl}/self-service/registration/api`, { headers: { accept: 'application/json' } })).json()) as Flow
  const res = await fetch(`${kratosUrl}/self-service/registration?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ method: 'password', traits: { email: fields.email }, password: fields.password }),
  })
  const body = (await res.json()) as Flow & { error?: { code: number }; identity?: { id: string } }
  const messages = [
    ...(body.ui?.messages ?? []).map((m) => ['', m.id, m.text] as const),
    ...(body.ui?.nodes ?? []).flatMap((n) => n.messages.map((m) => [n.attributes.name ?? '', m.id, m.text] as const)),
  ]
  return { status: res.status, messages, body }
}
const email = () => `fidelity.${process.pid}.${++people}@example.com`

describe(`Kratos as v1.3.1 was seen (${real ? 'real Kratos' : 'the stand-in'})`, () => {
  it('when a password is longer than 72 characters, then 400 with 4000033 on the password field', async () => {
    const { status, messages } = await register({ email: email(), password: 'p'.repeat(73) })
    expect(status).toBe(400)
    expect(messages).toContainEqual(['password', 4000033, 'The password must be at most 72 characters long, but got 73.'])
  })

  it('when the password is empty, then 400 with 4000002 "Property password is missing."', async () => {
    const { status, messages } = await register({ email: email(), password: '' })
    expect(status).toBe(400)
    expect(messages).toContainEqual(['password', 4000002, 'Property password is missing.'])
  })

  it('when the e-mail is empty, then 400 with 4000001 (not valid) and 4000003 (too short) on traits.email', async () => {
    const { status, messages } = await register({ email: '', password: 'a long enough password' })
    expect(status).toBe(400)
    expect(messages.filter(([field]) => field === 'traits.email').sort((a, b) => a[1] - b[1])).toEqual([
      ['traits.email', 4000001, '"" is not valid "email"'],
      ['traits.email', 4000003, 'length must be >= 3, but got 0'],
    ])
  })

  it('when the e-mail is not one, then 400 with 4000001 saying so on traits.email', async () => {
    const { status, messages } = await register({ email: 'not-an-email', password: 'a long enough password' })
    expect(status).toBe(400)
    expect(messages).toContainEqual(['traits.email', 4000001, '"not-an-email" is not valid "email"'])
  })

  it('when a flow starts, then the e-mail field is labelled 1070002 "E-Mail" in login and in registration', async () => {
    const labelOf = async (flow: string, field: string) => {
      const res = await fetch(`${kratosUrl}/self-service/${flow}/api`, { headers: { accept: 'application/json' } })
      const body = (await res.json()) as { ui: { nodes: Array<{ attributes: { name?: string }; meta: { label?: Message } }> } }
      return body.ui.nodes.find((n) => n.attributes.name === field)?.meta.label
    }
    const label = { id: 1070002, text: 'E-Mail', type: 'info', context: { title: 'E-Mail' } }
    expect(await labelOf('login', 'identifier')).toEqual(label)
    expect(await labelOf('registration', 'traits.email')).toEqual(label)
  })

  it('when someone signs up, then the web hook is called with the API key and an Ory-Webhook-Request-Id', async () => {
    hookStatus = 200
    const address = email()
    const { status, body } = await register({ email: address, password: 'a long enough password' })
    expect(status).toBe(200)
    const call = hook.calls.find((c) => JSON.stringify(c.body).includes(address))
    expect(call?.path).toBe('/hooks/registration')
    expect(call?.headers['ory-webhook-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(call?.headers['x-webhook-key']).toBe('fidelity-test-key')
    expect(call?.body).toMatchObject({ identityId: body.identity?.id, email: address })
  })

  it('when the web hook answers 4xx, then the registration answers 502', async () => {
    hookStatus = 403
    const { status } = await register({ email: email(), password: 'a long enough password' })
    hookStatus = 200
    expect(status).toBe(502)
  })

  it('when the web hook answers 5xx, then it is tried 3 times and the registration answers 400', async () => {
    hookStatus = 503
    const address = email()
    const { status } = await register({ email: address, password: 'a long enough password' })
    hookStatus = 200
    expect(status).toBe(400)
    expect(hook.calls.filter((c) => JSON.stringify(c.body).includes(address))).toHaveLength(3)
  }, 60_000)
})
