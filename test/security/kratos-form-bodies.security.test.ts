import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../../dev/src/stack'
import type { FlowJson, RegistrationJson } from '../../dev/test/kratos-test-kit'
import { client, listTicket, signUp, startStack, type Ticket } from '../system/support'

// Issue 8, item 1: the Kratos stand-in turns form keys with dots into nested objects; a key that
// walked into `__proto__` poisoned Object.prototype for every service of the one-process stack.
// Item 8: a malformed multipart body to a submit was a 500 (and so were traits nested thousands deep).
describe('Kratos stand-in form bodies through the gateway', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(async () => {
    // Should the parser ever regress, the poisoned key must not leak into the other tests of this worker.
    delete (Object.prototype as Record<string, unknown>).orderId
    delete (Object.prototype as Record<string, unknown>).polluted
    await stack?.close()
  })

  const sendForm = (method: string, path: string, body: string) =>
    fetch(`${stack.url}/.ory${path}`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })

  it('when an anonymous caller sends __proto__.orderId=PWNED to the native logout, then it gets 400 and the marketplace is untouched', async () => {
    const response = await sendForm('DELETE', '/self-service/logout/api', '__proto__.orderId=PWNED')

    expect(response.status).toBe(400)
    expect(({} as Record<string, unknown>).orderId).toBeUndefined()
    const seller = await signUp(stack, 'pollution-seller')
    const ticket = await listTicket(stack, seller, { title: 'After the attack', price: 4200 })
    const { status, body } = await client(stack)<Ticket>(`/api/tickets/${ticket.id}`)
    expect(status).toBe(200)
    expect(body.orderId).toBeNull()
    expect(body.title).toBe('After the attack')
  })

  it.each([
    ['constructor.prototype.polluted=yes'],
    ['traits.__proto__.polluted=yes'],
    ['a.prototype=yes'],
  ])('when a form field is named %s, then the submit answers 400 and Object.prototype stays clean', async (form) => {
    const response = await sendForm('DELETE', '/self-service/logout/api', form)

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 400, status: 'Bad Request' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each([['a=1&a.b=2'], ['a.b=2&a=1']])('when a form field sits inside the value of another (%s), then the submit answers 400', async (form) => {
    const response = await sendForm('DELETE', '/self-service/logout/api', form)

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 400, status: 'Bad Request' } })
  })

  /** A fresh native flow's submit URL (its ui.action), as the gateway serves it. */
  const apiFlowAction = async (kind: 'login' | 'registration') => {
    const flow = (await (await fetch(`${stack.url}/.ory/self-service/${kind}/api`)).json()) as FlowJson
    return flow.ui.action
  }

  it.each([
    ['login', 'multipart/form-data', 'method=password'],
    ['login', 'multipart/form-data; boundary=cut', 'no boundary anywhere in here'],
    ['registration', 'multipart/form-data; boundary=cut', '--cut\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--cut'],
  ] as const)('when a %s submit carries a malformed multipart body (%s), then it answers 400, not 500', async (kind, type, body) => {
    const response = await fetch(await apiFlowAction(kind), { method: 'POST', headers: { 'content-type': type }, body })

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 400, status: 'Bad Request' } })
  })

  it.each([
    ['application/x-www-form-urlencoded', `method=password&password=a+long+enough+password&traits.${Array(5000).fill('a').join('.')}=x`],
    ['application/json', `{"method":"password","password":"a long enough password","traits":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
  ])('when a registration carries traits nested 5,000 deep (%s), then it answers the flow with 400, not 500', async (type, body) => {
    const response = await fetch(await apiFlowAction('registration'), { method: 'POST', headers: { 'content-type': type }, body })

    expect(response.status).toBe(400)
    expect(((await response.json()) as FlowJson).ui.nodes.map((n) => n.attributes.name)).toContain('traits.email')
  })

  it('when a native app registers with a well-formed multipart body, then it gets its session token', async () => {
    const form = new FormData()
    for (const [name, value] of Object.entries({ method: 'password', 'traits.email': 'multipart@example.com', password: 'a long enough password' })) {
      form.set(name, value)
    }
    const response = await fetch(await apiFlowAction('registration'), { method: 'POST', body: form })

    expect(response.status).toBe(200)
    expect(((await response.json()) as RegistrationJson).identity.traits).toEqual({ email: 'multipart@example.com' })
  })
})
