import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listen } from '@ticketing/shared/platform'
import { Hono } from 'hono'
import { parse, stringify } from 'yaml'
import { startKratos, type RunningKratos, type StartKratosOptions } from '../src/kratos'

export interface HookCall {
  headers: Record<string, string>
  body: Record<string, unknown>
}

/** A web hook receiver that records calls and answers with the status the test sets. */
export async function startHookReceiver() {
  const calls: HookCall[] = []
  const state = { status: 200 }
  const app = new Hono().post('/hooks/registration', async (c) => {
    const headers: Record<string, string> = {}
    c.req.raw.headers.forEach((value, name) => (headers[name] = value))
    calls.push({ headers, body: await c.req.json<Record<string, unknown>>() })
    return new Response('{}', { status: state.status, headers: { 'content-type': 'application/json' } })
  })
  const server = await listen(app, { port: 0 })
  return { url: `${server.url}/hooks/registration`, calls, state, close: () => server.close() }
}

const projectConfigDir = fileURLToPath(new URL('../../ory/kratos', import.meta.url))

/** The registration web hook of ory/kratos/kratos.yml, as far as tests change it. */
export type WebHookYml = {
  hook: string
  config: { url?: string; method?: string; can_interrupt?: boolean; headers?: Record<string, string>; response: { ignore: boolean; parse: boolean } }
}

/** The parts of ory/kratos/kratos.yml tests change. */
export type KratosYml = {
  selfservice: {
    flows: {
      login: { lifespan: string }
      registration: { after: { password: { hooks: (WebHookYml | { hook: 'session' })[] } } }
    }
  }
}

/** The parts of ory/kratos/identity.schema.json tests change. */
export type IdentitySchemaJson = {
  properties: { traits: { properties: { email: { title?: string; 'ory.sh/kratos': { verification?: unknown; recovery?: unknown } } } } }
}

/** Copies the project's Kratos config to a temporary folder, letting the test change kratos.yml and the identity schema. */
export async function kratosConfigWith(edit: { config?: (config: KratosYml) => void; schema?: (schema: IdentitySchemaJson) => void }) {
  const dir = await mkdtemp(join(tmpdir(), 'kratos-config-'))
  await cp(projectConfigDir, dir, { recursive: true })
  const rewrite = async <T>(file: string, read: (text: string) => T, write: (value: T) => string, change?: (value: T) => void) => {
    if (!change) return
    const value = read(await readFile(join(dir, file), 'utf8'))
    change(value)
    await writeFile(join(dir, file), write(value))
  }
  await rewrite('kratos.yml', (text) => parse(text) as KratosYml, (value) => stringify(value), edit.config)
  await rewrite('identity.schema.json', (text) => JSON.parse(text) as IdentitySchemaJson, (value) => JSON.stringify(value), edit.schema)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Starts the stand-in with its web hook pointed at a fresh receiver. */
export async function startKratosWithHook(options: StartKratosOptions = {}) {
  const hook = await startHookReceiver()
  const kratos = await startKratos({ webhookUrl: hook.url, webhookApiKey: 'test-key', webhookRetryWaitMs: 1, ...options })
  return { kratos, hook, close: async () => (await kratos.close(), await hook.close()) }
}

/** A tiny browser: keeps cookies between requests and asks for JSON like a single-page app. */
export function browser(kratos: RunningKratos) {
  const jar = new Map<string, string>()
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (!headers.has('accept')) headers.set('accept', 'application/json')
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    const url = path.startsWith('http') ? path : `${kratos.url}${path}`
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const [name = '', ...value] = pair.split('=')
      if (/max-age=0/i.test(line) || value.join('=') === '') jar.delete(name)
      else jar.set(name, value.join('='))
    }
    return response
  }
  return {
    jar,
    get: (path: string, headers?: Record<string, string>) => send(path, { headers }),
    post: (url: string, body: unknown, headers?: Record<string, string>) =>
      send(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
    /** Submits an HTML form the way a page without JavaScript does. */
    postForm: (url: string, fields: Record<string, string>) =>
      send(url, { method: 'POST', body: new URLSearchParams(fields), headers: { accept: 'text/html' } }),
  }
}

/** A UI text (message or label) as Kratos sends it. */
export type UiTextJson = { id: number; text: string; type: string; context?: Record<string, unknown> }

/** A login or registration flow, also the answer to a submission that failed validation. */
export type FlowJson = {
  id: string
  ui: {
    action: string
    messages?: UiTextJson[]
    nodes: { group: string; attributes: Record<string, unknown>; messages: UiTextJson[]; meta: { label?: UiTextJson } }[]
  }
}

/** Kratos's error answer; an expired flow's also names its replacement. */
export type ErrorJson = {
  error: { id?: string; code: number; status: string; message: string; reason?: string; details?: Record<string, unknown> }
  use_flow_id?: string
}

export type IdentityJson = {
  id: string
  traits: Record<string, unknown>
  verifiable_addresses: { value: string }[]
  recovery_addresses: { value: string }[]
}

export type SessionJson = { id: string; active: boolean; identity: IdentityJson }

/** A successful login: a native app gets the session token, a browser the cookie and continue_with. */
export type LoginJson = { session: SessionJson; session_token?: string; continue_with?: unknown[] }

/** A successful registration: a login answer plus the new identity. */
export type RegistrationJson = LoginJson & { identity: IdentityJson }

export const nodeOf = (flow: FlowJson, name: string) => flow.ui.nodes.find((n) => n.attributes.name === name)

/** The flow's anti-CSRF token; every browser flow has one. */
export function csrfOf(flow: FlowJson): string {
  const token = nodeOf(flow, 'csrf_token')?.attributes.value
  if (typeof token !== 'string') throw new Error(`flow ${flow.id} has no csrf_token`)
  return token
}

/** Registers through a browser flow and returns the browser holding the session cookie. */
export async function registerInBrowser(kratos: RunningKratos, email: string, password = 'correct horse battery') {
  const b = browser(kratos)
  const flow = (await (await b.get('/self-service/registration/browser')).json()) as FlowJson
  const response = await b.post(flow.ui.action, { method: 'password', traits: { email }, password, csrf_token: csrfOf(flow) })
  return { b, response, body: (await response.json()) as RegistrationJson }
}
