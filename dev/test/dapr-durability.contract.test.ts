import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite } from '@ticketing/shared/sqlite'
import { eventually } from '@ticketing/shared/testing'
import { startSidecar } from '../src/dapr'
import type { BrokerOptions } from '../src/dapr/broker'
import { createHarness, quickRetries, type Harness } from '../src/dapr/testing/harness'
import { startRecordingApp, type RecordingApp, type RecordingAppOptions } from '../src/dapr/testing/recording-app'

// Like daprd with RabbitMQ and the Scheduler: a "process" (broker and sidecars) ends, a new one opens the same
// database file, and every message, reminder and state value it had accepted is still there.
interface Life {
  harness: Harness
  end(): Promise<void>
}

let dir: string
let cleanups: Array<() => Promise<void>> = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dapr-durability-'))
})
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
  rmSync(dir, { recursive: true, force: true })
})

/** Starts a broker (with the harness's quick retries) on the test's database file. */
function startLife(options: BrokerOptions = {}): Life {
  const db = openSqlite(join(dir, 'dapr.db'))
  const harness = createHarness({ ...options, db })
  let ended: Promise<void> | undefined
  const end = () => (ended ??= harness.close().then(() => db.close()))
  cleanups.push(end)
  return { harness, end }
}

/** An app and its sidecar that the test stops itself: `stopApp` leaves the sidecar registered, `stop` ends both. */
async function startSubscriber(life: Life, appId: string, options: RecordingAppOptions) {
  const app = await startRecordingApp(options)
  const sidecar = await startSidecar({ appId, appUrl: app.url, broker: life.harness.broker })
  let appStopped: Promise<void> | undefined
  const stopApp = () => (appStopped ??= app.close())
  const stop = () => sidecar.close().then(stopApp)
  cleanups.push(stop)
  return { app, stopApp, stop }
}

const sub = (topic: string) => ({ pubsubname: 'pubsub', topic, routes: { default: `/on/${topic}` } })
const success = () => Response.json({ status: 'SUCCESS' })
const idsOf = (app: RecordingApp, topic: string) => app.callsTo(`/on/${topic}`).map((call) => (call.body as { id: string }).id)

async function publish(sidecarUrl: string, topic: string, data: unknown, id: string): Promise<number> {
  const response = await fetch(`${sidecarUrl}/v1.0/publish/pubsub/${topic}?metadata.cloudevent.id=${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  })
  return response.status
}

async function publisherOf(life: Life): Promise<string> {
  return (await life.harness.sidecar('tickets', await life.harness.app())).url
}

describe('local Dapr sidecar: durable queues', () => {
  it('when an event is published while its subscriber is stopped, then it is delivered once when the subscriber starts again', async () => {
    const life = startLife()
    const before = await startSubscriber(life, 'orders', { subscriptions: [sub('ticket.created')] })
    await before.stop()
    const publisher = await publisherOf(life)

    const status = await publish(publisher, 'ticket.created', { id: 't1' }, 'e1')
    await life.harness.broker.idle()
    const after = await life.harness.app({ subscriptions: [sub('ticket.created')] })
    await life.harness.sidecar('orders', after)
    await eventually(() => expect(idsOf(after, 'ticket.created')).toEqual(['e1']))
    await life.harness.broker.idle()

    expect(status).toBe(204)
    expect(before.app.calls).toEqual([])
    expect(idsOf(after, 'ticket.created')).toEqual(['e1'])
  })

  it('when an event is published while its subscriber is stopped and the process restarts, then the next process delivers it', async () => {
    const first = startLife()
    const before = await startSubscriber(first, 'orders', { subscriptions: [sub('ticket.created')] })
    await before.stop()
    await publish(await publisherOf(first), 'ticket.created', { id: 't1' }, 'e1')
    await first.end()

    const second = startLife()
    const after = await second.harness.app({ subscriptions: [sub('ticket.created')] })
    await second.harness.sidecar('orders', after)

    await eventually(() => expect(idsOf(after, 'ticket.created')).toEqual(['e1']))
    expect(after.callsTo('/on/ticket.created')[0]?.body).toMatchObject({ id: 'e1', source: 'tickets', data: { id: 't1' } })
  })

  it('when the process ends while the subscriber is still handling an event, then the next process delivers it again', async () => {
    const first = startLife()
    let answer!: () => void
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const slow = await startSubscriber(first, 'orders', {
      subscriptions: [sub('ticket.created')],
      answer: () => answered.then(success),
    })
    await publish(await publisherOf(first), 'ticket.created', { id: 't1' }, 'e1')
    await eventually(() => expect(idsOf(slow.app, 'ticket.created')).toEqual(['e1']))
    // The "crash": the broker goes before the app answers; the app's late SUCCESS reaches nobody.
    await first.harness.broker.close()
    answer()
    await slow.stop()
    await first.end()

    const second = startLife()
    const after = await second.harness.app({ subscriptions: [sub('ticket.created')] })
    await second.harness.sidecar('orders', after)

    await eventually(() => expect(idsOf(after, 'ticket.created')).toEqual(['e1']))
  })

  it('when the process ends while a delivery to an unreachable subscriber waits for its retry, then the next process delivers it', async () => {
    const first = startLife({ delivery: quickRetries(1000) })
    const gone = await startSubscriber(first, 'orders', { subscriptions: [sub('ticket.created')] })
    await gone.stopApp()
    await publish(await publisherOf(first), 'ticket.created', { id: 't1' }, 'e1')
    await eventually(() => expect(first.harness.logger.entries.filter((e) => e.msg === 'delivery failed, retrying').length).toBeGreaterThan(1))
    await first.end()

    const second = startLife()
    const after = await second.harness.app({ subscriptions: [sub('ticket.created')] })
    await second.harness.sidecar('orders', after)

    await eventually(() => expect(idsOf(after, 'ticket.created')).toEqual(['e1']))
    expect(second.harness.broker.deadLetters()).toEqual([])
  })

  it('when several events wait in a queue, then they are delivered oldest first', async () => {
    const life = startLife({ prefetchCount: 1 })
    const before = await startSubscriber(life, 'orders', { subscriptions: [sub('ticket.updated')] })
    await before.stop()
    const publisher = await publisherOf(life)
    for (const id of ['e1', 'e2', 'e3']) await publish(publisher, 'ticket.updated', { id }, id)

    const after = await life.harness.app({ subscriptions: [sub('ticket.updated')] })
    await life.harness.sidecar('orders', after)
    await eventually(() => expect(idsOf(after, 'ticket.updated')).toHaveLength(3))

    expect(idsOf(after, 'ticket.updated')).toEqual(['e1', 'e2', 'e3'])
  })

  it("when one subscriber is slow, then another app's queue on the same topic is delivered without waiting", async () => {
    const life = startLife({ prefetchCount: 1 })
    let answer!: () => void
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const slow = await startSubscriber(life, 'payments', { subscriptions: [sub('order.created')], answer: () => answered.then(success) })
    const quick = await life.harness.app({ subscriptions: [sub('order.created')] })
    await life.harness.sidecar('orders', quick)
    const publisher = await publisherOf(life)

    await publish(publisher, 'order.created', { id: 'o1' }, 'e1')
    await publish(publisher, 'order.created', { id: 'o2' }, 'e2')
    await eventually(() => expect(idsOf(quick, 'order.created')).toEqual(['e1', 'e2']))
    const slowBeforeAnswer = idsOf(slow.app, 'order.created')
    answer()
    await eventually(() => expect(idsOf(slow.app, 'order.created')).toEqual(['e1', 'e2']))
    await life.harness.broker.idle()

    expect(slowBeforeAnswer).toEqual(['e1'])
  })
})

describe('local Dapr sidecar: durable reminders and state', () => {
  const host = (firedAt: Map<string, number>): RecordingAppOptions => ({
    config: { entities: ['OrderExpiration'] },
    answer: (call) => {
      firedAt.set(call.path, Date.now())
      return new Response('', { status: 200 })
    },
  })
  const remind = (id: string) => `/actors/OrderExpiration/${id}/method/remind/expire`
  const reminderUrl = (sidecarUrl: string, id: string) => `${sidecarUrl}/v1.0/actors/OrderExpiration/${id}/reminders/expire`
  const register = (sidecarUrl: string, id: string, dueTime: string) =>
    fetch(reminderUrl(sidecarUrl, id), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dueTime, period: '', data: { orderId: id } }),
    })

  it('when reminders were registered before a restart, then an overdue one fires as soon as a host is back, a later one at its time, a deleted one never', async () => {
    const first = startLife()
    const firedBefore = new Map<string, number>()
    const sidecar = await first.harness.sidecar('expiration', await first.harness.app(host(firedBefore)))
    const registeredAt = Date.now()
    await register(sidecar.url, 'overdue', '500ms')
    await register(sidecar.url, 'later', '1200ms')
    await register(sidecar.url, 'cancelled', '500ms')
    await fetch(reminderUrl(sidecar.url, 'cancelled'), { method: 'DELETE' })
    await first.end()
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, registeredAt + 600 - Date.now())))

    const second = startLife()
    const firedAfter = new Map<string, number>()
    const hostUpAt = Date.now()
    const restarted = await second.harness.sidecar('expiration', await second.harness.app(host(firedAfter)))
    await eventually(() => expect(firedAfter.has(remind('later'))).toBe(true))
    await second.harness.broker.idle()

    expect(firedBefore.size).toBe(0)
    expect(firedAfter.get(remind('overdue'))! - hostUpAt).toBeLessThan(1000)
    expect(firedAfter.get(remind('later'))).toBeGreaterThanOrEqual(registeredAt + 1200)
    expect(firedAfter.has(remind('cancelled'))).toBe(false)
    expect((await fetch(reminderUrl(restarted.url, 'overdue'))).status).toBe(404)
  })

  it('when the process restarts, then a state value keeps its ETag and an ETag older than it is still refused', async () => {
    const save = (sidecarUrl: string, item: Record<string, unknown>) =>
      fetch(`${sidecarUrl}/v1.0/state/statestore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([item]) })
    const read = (sidecarUrl: string) => fetch(`${sidecarUrl}/v1.0/state/statestore/order-o1`)
    const firstWrite = { concurrency: 'first-write' }
    const first = startLife()
    const before = await first.harness.sidecar('expiration', await first.harness.app())
    await save(before.url, { key: 'order-o1', value: { status: 'created' }, options: firstWrite })
    const stale = (await read(before.url)).headers.get('etag')
    await save(before.url, { key: 'order-o1', value: { status: 'scheduled' }, etag: stale, options: firstWrite })
    const current = (await read(before.url)).headers.get('etag')
    await first.end()

    const second = startLife()
    const after = await second.harness.sidecar('expiration', await second.harness.app())
    const found = await read(after.url)
    const refused = await save(after.url, { key: 'order-o1', value: { status: 'expired' }, etag: stale, options: firstWrite })
    const withoutEtag = await save(after.url, { key: 'order-o1', value: { status: 'expired' }, options: firstWrite })
    const accepted = await save(after.url, { key: 'order-o1', value: { status: 'expired' }, etag: current, options: firstWrite })
    const updated = await read(after.url)

    expect(found.headers.get('etag')).toBe(current)
    expect(await found.json()).toEqual({ status: 'scheduled' })
    expect([refused.status, withoutEtag.status, accepted.status]).toEqual([409, 500, 204])
    expect(await updated.json()).toEqual({ status: 'expired' })
    expect([stale, current]).not.toContain(updated.headers.get('etag'))
  })
})
