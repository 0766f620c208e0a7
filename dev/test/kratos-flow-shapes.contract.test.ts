import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKratos, type RunningKratos } from '../src/kratos'
import { browser, kratosConfigWith, type FlowJson } from './kratos-test-kit'

const input = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ name, type, ...extra })

describe('Kratos stand-in: flow shapes', () => {
  let kratos: RunningKratos
  beforeAll(async () => {
    kratos = await startKratos({ publicBaseUrl: 'http://127.0.0.1:8080/.ory/' })
  })
  afterAll(() => kratos.close())

  it('when a browser asks for a login flow as JSON, then it gets the password form and an HttpOnly CSRF cookie', async () => {
    const response = await fetch(`${kratos.url}/self-service/login/browser`, { headers: { accept: 'application/json' } })
    const flow = (await response.json()) as FlowJson & Record<string, unknown>

    expect(response.status).toBe(200)
    expect(response.headers.get('set-cookie')).toMatch(/^csrf_token_[0-9a-f]{64}=[^;]+;.*HttpOnly/)
    expect(flow).toMatchObject({ type: 'browser', organization_id: null, requested_aal: 'aal1', state: 'choose_method' })
    expect(flow.ui.action).toBe(`http://127.0.0.1:8080/.ory/self-service/login?flow=${flow.id}`)
    expect(flow.ui).not.toHaveProperty('messages')
    const aString: unknown = expect.any(String)
    expect(flow.ui.nodes.map((n) => [n.group, n.attributes])).toEqual([
      ['default', { ...input('csrf_token', 'hidden'), value: aString, required: true, disabled: false, node_type: 'input' }],
      ['default', { ...input('identifier', 'text'), value: '', required: true, disabled: false, node_type: 'input' }],
      ['password', { ...input('password', 'password'), required: true, autocomplete: 'current-password', disabled: false, node_type: 'input' }],
      ['password', { ...input('method', 'submit'), value: 'password', disabled: false, node_type: 'input' }],
    ])
    expect(flow.ui.nodes.map((n) => n.meta.label?.id)).toEqual([undefined, 1070002, 1070001, 1010022])
    expect(flow.ui.nodes.every((n) => Array.isArray(n.messages) && n.messages.length === 0)).toBe(true)
  })

  it('when a registration flow is created, then traits.email is labelled with the schema title', async () => {
    const flow = (await (await browser(kratos).get('/self-service/registration/browser')).json()) as FlowJson

    expect(flow.ui.nodes.map((n) => n.attributes.name)).toEqual(['csrf_token', 'traits.email', 'password', 'method'])
    expect(flow.ui.nodes[1]).toEqual({
      type: 'input',
      group: 'default',
      attributes: { name: 'traits.email', type: 'email', required: true, autocomplete: 'email', disabled: false, node_type: 'input' },
      messages: [],
      meta: { label: { id: 1070002, text: 'E-Mail', type: 'info', context: { title: 'E-Mail' } } },
    })
    expect(flow.ui.nodes[3]?.meta.label).toEqual({ id: 1040001, text: 'Sign up', type: 'info' })
  })

  it('when a page (not an SPA) opens the login flow, then it is redirected to the login UI with the flow id', async () => {
    const response = await fetch(`${kratos.url}/self-service/login/browser`, { redirect: 'manual', headers: { accept: 'text/html' } })

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:8080\/login\?flow=[0-9a-f-]{36}$/)
  })

  it('when the identifier trait has no title, then the login identifier is labelled "ID" (1070004)', async () => {
    const config = await kratosConfigWith({ schema: (schema) => delete schema.properties.traits.properties.email.title })
    const untitled = await startKratos({ configDir: config.dir })
    try {
      const flow = (await (await fetch(`${untitled.url}/self-service/login/api`)).json()) as FlowJson
      expect(flow.ui.nodes.find((n) => n.attributes.name === 'identifier')?.meta.label).toEqual({ id: 1070004, text: 'ID', type: 'info' })
    } finally {
      await untitled.close()
      await config.remove()
    }
  })
})
