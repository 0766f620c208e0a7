import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '@ticketing/shared/testing'
import { createHarness, quickRetries, type Harness } from '../src/dapr/testing/harness'

let harness: Harness
afterEach(async () => harness?.close())

/** Dapr's error body. */
type DaprError = { errorCode: string; message: string }

const REMIND_PATH = '/actors/OrderExpiration/o1/method/remind/expire'
const hostConfig = { config: { entities: ['OrderExpiration'] } }

function reminderUrl(sidecarUrl: string, id = 'o1', name = 'expire') {
  return `${sidecarUrl}/v1.0/actors/OrderExpiration/${id}/reminders/${name}`
}

async function register(sidecarUrl: string, body: unknown, method = 'POST', id = 'o1') {
  return fetch(reminderUrl(sidecarUrl, id), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('local Dapr sidecar: actor reminders', () => {
  it('when a one-shot reminder comes due, then the host gets PUT remind with the data and the reminder is removed', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => new Response('', { status: 200 }) })
    const sidecar = await harness.sidecar('expiration', host)

    const response = await register(sidecar.url, { dueTime: '10ms', period: '', data: { orderId: 'o1' } })
    await eventually(() => expect(host.callsTo(REMIND_PATH)).toHaveLength(1))
    await harness.broker.idle()

    expect(response.status).toBe(204)
    const [call] = host.callsTo(REMIND_PATH)
    expect(call?.method).toBe('PUT')
    expect(call?.body).toEqual({ data: { orderId: 'o1' }, dueTime: '', period: '' })
    expect((await fetch(reminderUrl(sidecar.url))).status).toBe(404)
  })

  it('when a sidecar whose app does not host the actor type is asked for its reminders, then 403 ERR_ACTOR_REMINDER_NON_HOSTED', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => new Response('', { status: 200 }) })
    await harness.sidecar('expiration', host)
    const orders = await harness.sidecar('orders', await harness.app())

    const answers = [await register(orders.url, { dueTime: '0s', data: 'x' }, 'PUT'), await fetch(reminderUrl(orders.url))]
    await new Promise((resolve) => setTimeout(resolve, 30))

    for (const answer of answers) {
      expect(answer.status).toBe(403)
      expect(((await answer.json()) as DaprError).errorCode).toBe('ERR_ACTOR_REMINDER_NON_HOSTED')
    }
    expect(host.calls).toEqual([])
  })

  it('when the host answers anything but exactly 200, then the firing is retried until it gets 200', async () => {
    harness = createHarness({ reminderRetries: quickRetries(5) })
    const host = await harness.app({
      ...hostConfig,
      answer: (call) => new Response(null, { status: call.attempt < 3 ? 204 : 200 }),
    })
    const sidecar = await harness.sidecar('expiration', host)

    await register(sidecar.url, { dueTime: '0s' })
    await eventually(() => expect(host.callsTo(REMIND_PATH)).toHaveLength(3))
    await harness.broker.idle()

    expect((await fetch(reminderUrl(sidecar.url))).status).toBe(404)
    expect(host.callsTo(REMIND_PATH)).toHaveLength(3)
  })

  it('when the dueTime is malformed, then it answers 500 with a message naming it', async () => {
    harness = createHarness()
    const sidecar = await harness.sidecar('expiration', await harness.app(hostConfig))

    const response = await register(sidecar.url, { dueTime: 'in a while' })

    expect(response.status).toBe(500)
    const body = (await response.json()) as DaprError
    expect(body.errorCode).toBe('ERR_ACTOR_REMINDER_CREATE')
    expect(body.message).toContain('"in a while"')
  })

  it('when a reminder is registered, then GET returns it; after DELETE it is gone and never fires', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => new Response('', { status: 200 }) })
    const sidecar = await harness.sidecar('expiration', host)
    await register(sidecar.url, { dueTime: '2099-01-01T10:15:00Z', period: '', data: { orderId: 'o1' } })
    await register(sidecar.url, { dueTime: '1h', period: '', data: { orderId: 'o1' } })

    const found = await fetch(reminderUrl(sidecar.url))
    const deleted = await fetch(reminderUrl(sidecar.url), { method: 'DELETE' })
    const again = await fetch(reminderUrl(sidecar.url), { method: 'DELETE' })
    const missing = await fetch(reminderUrl(sidecar.url))

    expect(found.status).toBe(200)
    expect(await found.json()).toEqual({ dueTime: '1h', period: '', data: { orderId: 'o1' } })
    expect([deleted.status, again.status, missing.status]).toEqual([204, 204, 404])
    expect(host.calls).toEqual([])
  })

  it('when a reminder is registered again under the same name, then only the new one fires', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => new Response('', { status: 200 }) })
    const sidecar = await harness.sidecar('expiration', host)

    await register(sidecar.url, { dueTime: '30ms', data: 'first' })
    await register(sidecar.url, { dueTime: '5ms', data: 'second' })
    await eventually(() => expect(host.callsTo(REMIND_PATH)).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 60))

    expect(host.callsTo(REMIND_PATH).map((call) => (call.body as { data: unknown }).data)).toEqual(['second'])
  })

  it('when the reminder has a period with repetitions, then it fires that many times (each with an empty period) and is then removed', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => new Response('', { status: 200 }) })
    const sidecar = await harness.sidecar('expiration', host)

    await register(sidecar.url, { dueTime: '0s', period: 'R3/PT0.01S', data: 1 })
    await eventually(() => expect(host.callsTo(REMIND_PATH)).toHaveLength(3))
    await eventually(() => expect(harness.broker.reminders.get('OrderExpiration', 'o1', 'expire')).toBeUndefined())

    expect(host.callsTo(REMIND_PATH).map((call) => (call.body as { period: string }).period)).toEqual(['', '', ''])
  })

  it('when the host is down as the reminder comes due, then the reminder waits and fires once a host comes up', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => new Response('', { status: 200 }) })
    const before = await harness.sidecar('expiration', host)
    await register(before.url, { dueTime: '20ms', data: 'late' })
    await before.close()
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(host.callsTo(REMIND_PATH)).toHaveLength(0)

    await harness.sidecar('expiration', host)
    await eventually(() => expect(host.callsTo(REMIND_PATH)).toHaveLength(1))

    expect(host.callsTo(REMIND_PATH)[0]?.body).toMatchObject({ data: 'late' })
  })

  it('when an actor method is called through any sidecar, then the host gets PUT with the body and its answer comes back', async () => {
    harness = createHarness()
    const host = await harness.app({ ...hostConfig, answer: () => Response.json({ remaining: 3 }, { status: 201 }) })
    await harness.sidecar('expiration', host)
    const orders = await harness.sidecar('orders', await harness.app())

    const response = await fetch(`${orders.url}/v1.0/actors/OrderExpiration/o%201/method/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'o 1' }),
    })

    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ remaining: 3 })
    expect(host.calls.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'PUT', path: '/actors/OrderExpiration/o 1/method/check', body: { orderId: 'o 1' } },
    ])
  })

  it('when no app hosts the actor type, then an actor method call answers 500 ERR_ACTOR_INVOKE_METHOD', async () => {
    harness = createHarness()
    const orders = await harness.sidecar('orders', await harness.app())

    const response = await fetch(`${orders.url}/v1.0/actors/OrderExpiration/o1/method/check`, { method: 'PUT' })

    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({
      errorCode: 'ERR_ACTOR_INVOKE_METHOD',
      message: 'no app hosts the actor type OrderExpiration',
    })
  })
})
