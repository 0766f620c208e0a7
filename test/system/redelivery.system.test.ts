import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { topics } from '@ticketing/shared/contracts'
import { startRecordingApp, type RecordingApp } from '../../dev/src/dapr/testing/recording-app'
import type { Stack } from '../../dev/src/stack'
import { client, eventually, listTicket, reserve, signUp, startStack, type Items, type Order, type Payment, type Person, type Ticket } from './support'

// At-least-once delivery: every event may come again, and in any order. The state must not move.
let stack: Stack
let api: ReturnType<typeof client>
let recorder: RecordingApp
let sidecar: { url: string; close(): Promise<void> }
let seller: Person
let buyer: Person

beforeAll(async () => {
  stack = await startStack()
  api = client(stack)
  recorder = await startRecordingApp({
    subscriptions: Object.keys(topics).map((topic) => ({ pubsubname: 'pubsub', topic, route: `/on/${topic}` })),
  })
  sidecar = await stack.attach('recorder', recorder.url)
  ;[seller, buyer] = await Promise.all([signUp(stack, 'seller'), signUp(stack, 'buyer')])
})
afterAll(async () => {
  await sidecar?.close()
  await recorder?.close()
  await stack?.close()
})

type Envelope = { id: string; topic: string; data: object }

describe('every event delivered twice and out of order', () => {
  it('when all events of a cancelled and a paid order are published again, twice, newest first, then nothing changes', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Replayed gig', price: 7000 })
    const first = (await reserve(stack, buyer, ticket.id)).body
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBe(first.id))
    await api(`/api/orders/${first.id}`, { method: 'DELETE', as: buyer })
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBeNull())
    await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', as: seller, body: { price: 7500 } })
    const second = await eventually(async () => {
      const res = await reserve(stack, buyer, ticket.id)
      // The replica may still hold the old price for a moment; wait for the edit to arrive.
      if (res.body.ticket?.price !== 7500) {
        if (res.status === 201) await api(`/api/orders/${res.body.id}`, { method: 'DELETE', as: buyer })
        throw new Error('orders has not seen the new price yet')
      }
      return res.body
    })
    const payment = await eventually(async () => {
      const res = await api<Payment>('/api/payments', { method: 'POST', as: buyer, body: { orderId: second.id, paymentMethod: 'pm_card_visa' } })
      if (res.status !== 201) throw new Error(`not paid yet: ${res.status}`)
      return res.body
    })
    await eventually(async () => expect((await api<Order>(`/api/orders/${second.id}`, { as: buyer })).body.status).toBe('complete'))
    await stack.settle()

    const snapshot = async () => ({
      ticket: (await api<Ticket>(`/api/tickets/${ticket.id}`)).body,
      orders: (await api<Items<Order>>('/api/orders', { as: buyer })).body.items,
      sales: (await api<Items<Order>>('/api/orders/sales', { as: seller })).body.items,
      payment: (await api<Payment>(`/api/payments/${payment.id}`, { as: buyer })).body,
    })
    const before = await snapshot()
    expect(before.ticket).toMatchObject({ orderId: second.id, price: 7500 })

    // Only deliveries: a real sidecar also calls the app for discovery and health checks.
    const seen = recorder.calls.filter((call) => call.path.startsWith('/on/')).map((call) => call.body as Envelope)
    expect(new Set(seen.map((e) => e.topic))).toEqual(new Set(['ticket.created', 'ticket.updated', 'order.created', 'order.cancelled', 'order.completed', 'payment.created']))
    // Late expiries too: one for the order that was cancelled, one for the order that was paid.
    const expiries = [first.id, second.id].map((orderId) => ({ id: `expiration.completed/${orderId}`, topic: 'expiration.completed', data: { orderId } }))
    for (const event of [...seen, ...expiries].reverse().flatMap((e) => [e, e])) {
      const res = await fetch(`${sidecar.url}/v1.0/publish/pubsub/${event.topic}?metadata.cloudevent.id=${encodeURIComponent(event.id)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(event.data),
      })
      expect(res.status).toBe(204)
    }
    await stack.settle()
    // A replayed order.created must not schedule a new expiry: give a reminder the chance to misfire.
    await new Promise((resolve) => setTimeout(resolve, 200))
    await stack.settle()

    expect(await snapshot()).toEqual(before)
    expect(await stack.deadLetters()).toEqual([])
  })
})
