import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { eventually } from '@ticketing/shared/testing'
import { startRecordingApp, type RecordingApp, type RecordingAppOptions } from '../src/dapr/testing/recording-app'
import { startDaprUnderTest, type DaprUnderTest } from './dapr-fidelity-kit'

// What real daprd 1.18.2 was seen to do, asked of whichever Dapr this tier has: the stand-in in the
// contract tier, real daprd with placement and scheduler in the platform tier (PLATFORM_PUBSUB set).
const real = Boolean(process.env.PLATFORM_PUBSUB)

// Deliveries: the first attempt and 3 retries 300 ms apart, then the subscription's dead-letter topic.
const RESILIENCY = `
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: fidelity
spec:
  policies:
    retries:
      threeMore:
        policy: constant
        duration: 300ms
        maxRetries: 3
  targets:
    components:
      pubsub:
        inbound:
          retry: threeMore
`

let dapr: DaprUnderTest
const apps: RecordingApp[] = []
beforeAll(async () => {
  dapr = await startDaprUnderTest({ real, bin: real ? inject('platformBin') : undefined, resiliency: RESILIENCY })
}, 120_000)
afterAll(async () => {
  await dapr?.close()
  for (const app of apps) await app.close()
})

let names = 0
/** A name of its own per test (app-id, topic, actor type), so queues and placements never mix. */
const unique = (prefix: string) => `${prefix}${process.pid}x${++names}`

async function appWith(options: RecordingAppOptions) {
  const app = await startRecordingApp(options)
  apps.push(app)
  return app
}

/** An app subscribed to `topic` on `/on`, answering `onEvent` there, and to its dead-letter topic on `/dead`. */
function deadLetteringApp(topic: string, onEvent: Response) {
  const dead = unique('dead')
  return appWith({
    subscriptions: [
      { pubsubname: 'pubsub', topic, route: '/on', deadLetterTopic: dead },
      { pubsubname: 'pubsub', topic: dead, route: '/dead' },
    ],
    answer: (call) => (call.path === '/on' ? onEvent.clone() : Response.json({ status: 'SUCCESS' })),
  })
}

async function publish(sidecarUrl: string, topic: string, data: unknown, id: string) {
  const res = await fetch(`${sidecarUrl}/v1.0/publish/pubsub/${topic}?metadata.cloudevent.id=${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  })
  expect(res.status).toBe(204)
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!)
const error = async (res: Response) => ({ status: res.status, ...((await res.json()) as { errorCode: string }) })

describe(`Dapr pub/sub as 1.18.2 was seen (${real ? 'real daprd' : 'the stand-in'})`, () => {
  it('when a sidecar starts, then it reads /dapr/subscribe and /dapr/config, and never calls GET /', async () => {
    const app = await appWith({ subscriptions: [], config: { entities: [] } })
    const sidecar = await dapr.sidecar(unique('discovery'), app)
    await sidecar.stop()

    const paths = app.requests.map((r) => `${r.method} ${r.path}`)
    expect(paths).toContain('GET /dapr/subscribe')
    expect(paths).toContain('GET /dapr/config')
    expect(paths).not.toContain('GET /')
  })

  it('when app health checks are on, then /healthz is probed every 5 seconds', async () => {
    const app = await appWith({ subscriptions: [], config: { entities: [] } })
    const sidecar = await dapr.sidecar(unique('health'), app)
    await sleep(11_500)
    await sidecar.stop()

    const probes = app.requests.filter((r) => r.path === '/healthz').map((r) => r.at)
    expect(probes.length).toBeGreaterThanOrEqual(2)
    for (const gap of gaps(probes)) expect(gap).toSatisfy((ms: number) => ms > 4_000 && ms < 6_500)
  }, 30_000)

  it('when an event is published while its subscriber is down, then it is delivered once the subscriber is back', async () => {
    const topic = unique('waits')
    const app = await appWith({ subscriptions: [{ pubsubname: 'pubsub', topic, route: '/on' }] })
    const appId = unique('sub')
    const first = await dapr.sidecar(appId, app)
    await first.stop()
    const publisher = await dapr.sidecar(unique('pub'), await appWith({}))

    await publish(publisher.url, topic, { n: 1 }, 'while-down')
    await sleep(1_000)
    expect(app.callsTo('/on')).toHaveLength(0)
    await dapr.sidecar(appId, app)

    await eventually(() => expect(app.callsTo('/on').map((c) => (c.body as { id: string }).id)).toEqual(['while-down']), { timeoutMs: 30_000 })
  }, 60_000)

  it('when the subscriber keeps failing, then it is retried as the Resiliency says and then dead-lettered with its envelope', async () => {
    const topic = unique('fails')
    const app = await deadLetteringApp(topic, new Response('down', { status: 500 }))
    const sidecar = await dapr.sidecar(unique('failing'), app)

    await publish(sidecar.url, topic, { n: 2 }, 'always-fails')
    await eventually(() => expect(app.callsTo('/dead')).toHaveLength(1), { timeoutMs: 30_000 })

    const attempts = app.requests.filter((r) => r.path === '/on').map((r) => r.at)
    expect(attempts).toHaveLength(4)
    for (const gap of gaps(attempts)) expect(gap).toSatisfy((ms: number) => ms > 250 && ms < 2_000)
    expect(app.callsTo('/dead')[0]?.body).toMatchObject({ id: 'always-fails', topic, data: { n: 2 } })
  }, 60_000)

  it('when the subscriber answers DROP, then the event goes to the dead-letter topic at once', async () => {
    const topic = unique('drops')
    const app = await deadLetteringApp(topic, Response.json({ status: 'DROP' }))
    const sidecar = await dapr.sidecar(unique('dropping'), app)

    await publish(sidecar.url, topic, { n: 3 }, 'dropped')
    await eventually(() => expect(app.callsTo('/dead')).toHaveLength(1), { timeoutMs: 30_000 })

    expect(app.callsTo('/on')).toHaveLength(1)
    expect(app.callsTo('/dead')[0]?.body).toMatchObject({ id: 'dropped', topic, data: { n: 3 } })
  }, 60_000)
})

describe(`Dapr actors and state as 1.18.2 was seen (${real ? 'real daprd' : 'the stand-in'})`, () => {
  const reminder = (sidecarUrl: string, type: string, id: string) => `${sidecarUrl}/v1.0/actors/${type}/${id}/reminders/ring`
  const register = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  it('when a reminder comes due, then the host gets PUT remind with {data, dueTime: "", period: ""}', async () => {
    const type = unique('Clock')
    const app = await appWith({ config: { entities: [type] }, answer: () => new Response('', { status: 200 }) })
    const sidecar = await dapr.sidecar(unique('host'), app)

    const res = await register(reminder(sidecar.url, type, 'a1'), { dueTime: '1s', period: '', data: { n: 1 } })
    expect(res.status).toBe(204)
    const path = `/actors/${type}/a1/method/remind/ring`
    await eventually(() => expect(app.callsTo(path)).toHaveLength(1), { timeoutMs: 20_000 })

    expect(app.callsTo(path)[0]).toMatchObject({ method: 'PUT', body: { data: { n: 1 }, dueTime: '', period: '' } })
  }, 30_000)

  it('when the host answers a firing with anything but 200, then it is tried 4 times in all, 1 s apart', async () => {
    const type = unique('Clock')
    const app = await appWith({ config: { entities: [type] }, answer: () => new Response('', { status: 204 }) })
    const sidecar = await dapr.sidecar(unique('host'), app)

    await register(reminder(sidecar.url, type, 'a2'), { dueTime: '0s', data: 'x' })
    const path = `/actors/${type}/a2/method/remind/ring`
    await eventually(() => expect(app.callsTo(path)).toHaveLength(4), { timeoutMs: 30_000 })
    await sleep(3_000)

    const firings = app.requests.filter((r) => r.path === path).map((r) => r.at)
    expect(firings).toHaveLength(4)
    for (const gap of gaps(firings)) expect(gap).toSatisfy((ms: number) => ms > 700 && ms < 2_000)
  }, 60_000)

  it('when the app does not host the actor type, then a reminder for it is refused with 403 ERR_ACTOR_REMINDER_NON_HOSTED', async () => {
    const app = await appWith({ config: { entities: [unique('Clock')] } })
    const sidecar = await dapr.sidecar(unique('host'), app)

    const res = await register(reminder(sidecar.url, unique('Elsewhere'), 'a3'), { dueTime: '1h' })

    expect(await error(res)).toMatchObject({ status: 403, errorCode: 'ERR_ACTOR_REMINDER_NON_HOSTED' })
  })

  it('when the dueTime is malformed, then registering the reminder answers 500', async () => {
    const type = unique('Clock')
    const sidecar = await dapr.sidecar(unique('host'), await appWith({ config: { entities: [type] } }))

    const res = await register(reminder(sidecar.url, type, 'a4'), { dueTime: 'in a while' })

    expect(await error(res)).toMatchObject({ status: 500, errorCode: 'ERR_ACTOR_REMINDER_CREATE' })
  })

  it('when first-write meets an existing key without its etag, then 500 ERR_STATE_SAVE; a stale etag is 409, the current one 204', async () => {
    const sidecar = await dapr.sidecar(unique('state'), await appWith({}))
    const url = `${sidecar.url}/v1.0/state/statestore`
    const save = (value: unknown, etag?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ key: 'k', value, ...(etag ? { etag } : {}), options: { concurrency: 'first-write' } }]),
      })

    expect((await save(1)).status).toBe(204)
    const read = await fetch(`${url}/k`)
    const etag = read.headers.get('etag') ?? ''
    expect(await read.json()).toBe(1)
    const again = await save(2)
    const stale = await save(3, `${etag}9`)
    const current = await save(4, etag)
    const last = await fetch(`${url}/k`)

    expect(await error(again)).toMatchObject({ status: 500, errorCode: 'ERR_STATE_SAVE' })
    expect(await error(stale)).toMatchObject({ status: 409, errorCode: 'ERR_STATE_SAVE' })
    expect(current.status).toBe(204)
    expect(await last.json()).toBe(4)
    expect(last.headers.get('etag')).not.toBe(etag)
  })
})
