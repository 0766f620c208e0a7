import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../../dev/src/stack'
import { client, eventually, listTicket, reserve, signUp, startStack, type Order, type Person, type Problem, type Ticket } from './support'

// Reservations that run out: the expiration service's actor reminder fires through the Dapr sidecar.
let stack: Stack
let api: ReturnType<typeof client>
let seller: Person
let buyer: Person

beforeAll(async () => {
  stack = await startStack({ EXPIRATION_WINDOW_SECONDS: '2' })
  api = client(stack)
  ;[seller, buyer] = await Promise.all([signUp(stack, 'seller'), signUp(stack, 'buyer')])
})
afterAll(() => stack?.close())

describe('a reservation that is not paid in time', () => {
  it('when the window passes, then the order is cancelled, the ticket is editable and orderable again, and paying is 409', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Late bird', price: 5000 })
    const order = (await reserve(stack, buyer, ticket.id)).body
    expect(Date.parse(order.expiresAt) - Date.parse(order.createdAt)).toBe(2000)
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBe(order.id))

    await eventually(async () => expect((await api(`/api/orders/${order.id}`, { as: buyer })).body).toMatchObject({ status: 'cancelled', version: 2 }), { timeoutMs: 10_000 })
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBeNull())

    expect((await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', as: seller, body: { price: 4500 } })).status).toBe(200)
    await eventually(async () => {
      const paid = await api<Problem>('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
      expect([paid.status, paid.body.code]).toEqual([409, 'order-cancelled'])
    })
    expect((await reserve(stack, buyer, ticket.id)).status).toBe(201)
  })

  it('when the order is paid before the window passes, then the expiry does nothing', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Early bird', price: 5000 })
    const order = (await reserve(stack, buyer, ticket.id)).body
    await eventually(async () => {
      const res = await api('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
      expect(res.status).toBe(201)
    })
    await eventually(async () => expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('complete'))
    // Past the window: still complete, ticket still held.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    await stack.settle()
    expect((await api(`/api/orders/${order.id}`, { as: buyer })).body).toMatchObject({ status: 'complete', version: 2 })
    expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBe(order.id)
  })
})
