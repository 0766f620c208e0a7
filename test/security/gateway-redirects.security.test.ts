import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '@ticketing/shared/platform'
import { createGateway } from '../../dev/src/gateway'
import type { Stack } from '../../dev/src/stack'
import { signUp, startStack } from '../system/support'

// Issue 8, item 2: the gateway followed redirects, so a Kratos 303 to a return_to of the attacker's choice
// made the gateway fetch that URL and serve its body under the app's origin.
describe('the gateway passes redirects on', () => {
  let elsewhere: RunningServer
  let upstream: RunningServer
  let gateway: RunningServer
  let visits = 0

  beforeAll(async () => {
    // Stands for what an attacker points return_to at, e.g. a Dapr sidecar's /v1.0/metadata.
    elsewhere = await listen(
      {
        fetch: () => {
          visits++
          return Response.json({ id: 'tickets', components: ['statestore'] })
        },
      },
      { port: 0 },
    )
    // Stands for Kratos (and a service) answering a submit with a session cookie and a redirect.
    upstream = await listen(
      {
        fetch: () => {
          const headers = new Headers({ location: `${elsewhere.url}/v1.0/metadata` })
          headers.append('set-cookie', 'ory_kratos_session=s3ss10n; Path=/; HttpOnly; SameSite=Lax')
          headers.append('set-cookie', 'csrf_token_x=t0k3n; Path=/; HttpOnly')
          return new Response(null, { status: 303, headers })
        },
      },
      { port: 0 },
    )
    gateway = await listen(createGateway({ services: { '/api/tickets': upstream.url }, kratosUrl: upstream.url }), { port: 0 })
  })
  afterAll(async () => {
    await gateway.close()
    await upstream.close()
    await elsewhere.close()
  })

  it.each([
    ['a Kratos submit', 'POST', '/.ory/self-service/registration?flow=f1'],
    ['a Kratos logout', 'GET', '/.ory/self-service/logout?token=t1'],
    ['a service', 'GET', '/api/tickets/t1'],
  ])('when %s answers 303 to another address, then the caller gets that 303 with its Location and cookies, and the gateway never fetches it', async (_what, method, path) => {
    const res = await fetch(`${gateway.url}${path}`, { method, redirect: 'manual', ...(method === 'POST' ? { body: 'method=password' } : {}) })

    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${elsewhere.url}/v1.0/metadata`)
    expect(res.headers.getSetCookie()).toEqual(['ory_kratos_session=s3ss10n; Path=/; HttpOnly; SameSite=Lax', 'csrf_token_x=t0k3n; Path=/; HttpOnly'])
    expect(await res.text()).not.toContain('statestore')
    expect(visits).toBe(0)
  })
})

describe('a plain form login through the gateway', () => {
  let stack: Stack

  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(async () => {
    await stack.close()
  })

  it('when a browser posts the login form, then it gets Kratos\'s 303 with the session cookie, and that cookie signs it in', async () => {
    const person = await signUp(stack, 'former')
    const init = await fetch(`${stack.url}/.ory/self-service/login/browser`, { headers: { accept: 'application/json' } })
    const csrfCookie = init.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ')
    const flow = (await init.json()) as { ui: { action: string; nodes: Array<{ attributes: { name: string; value?: unknown } }> } }
    const csrfToken = String(flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value)

    const res = await fetch(flow.ui.action, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: csrfCookie, origin: stack.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ method: 'password', csrf_token: csrfToken, identifier: person.email, password: 'a long enough password' }),
    })
    const session = res.headers.getSetCookie().find((cookie) => cookie.startsWith('ory_kratos_session='))
    const whoami = await fetch(`${stack.url}/.ory/sessions/whoami`, { headers: { cookie: String(session).split(';')[0]! } })

    expect(res.status).toBe(303)
    expect(session).toMatch(/^ory_kratos_session=[^;]+;/)
    expect(whoami.status).toBe(200)
    expect(((await whoami.json()) as { identity: { id: string } }).identity.id).toBe(person.id)
  })
})
