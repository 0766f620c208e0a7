import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Stack } from '../../dev/src/stack'
import { client, eventually, listTicket, reserve, signUp, startStack, type Items, type Order, type Payment, type Person, type Ticket } from './support'

// The same choreography with every service on its MongoDB adapter (a MongoDB-wire server), as in the cluster.
const mongoUrl = inject('mongoUrl')
let stack: Stack
let api: ReturnType<typeof client>
let seller: Person
let buyer: Person

describe.skipIf(!mongoUrl)('the marketplace on MongoDB storage', () => {
  beforeAll(async () => {
    stack = await startStack({ MONGO_URL: mongoUrl })
    api = client(stack)
    ;[seller, buyer] = await Promise.all([signUp(stack, 'seller'), signUp(stack, 'buyer')])
  })
  afterAll(() => stack?.close())

  it('when ten buyers race and the winner pays, then one order holds the ticket and every service stored its part', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Stored for real', price: 6400 })
    await eventually(async () => expect((await api('/api/orders', { method: 'POST', as: seller, body: { ticketId: ticket.id } })).status).toBe(403))
    const racers = await Promise.all(Array.from({ length: 10 }, (_, i) => signUp(stack, `racer${i}`)))
    const statuses = await Promise.all(racers.map(async (r) => (await api('/api/orders', { method: 'POST', as: r, body: { ticketId: ticket.id } })).status))
    expect([...statuses].sort()).toEqual([201, ...Array<number>(9).fill(409)])

    const winner = racers[statuses.indexOf(201)]!
    const order = (await api<Items<Order>>('/api/orders', { as: winner })).body.items[0]!
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBe(order.id))
    expect((await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', as: seller, body: { price: 100 } })).status).toBe(409)

    const paid = await eventually(async () => {
      const res = await api<Payment>('/api/payments', { method: 'POST', as: winner, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
      if (res.status !== 201) throw new Error(`not paid yet: ${res.status}`)
      return res.body
    })
    await eventually(async () => expect((await api(`/api/orders/${order.id}`, { as: winner })).body).toMatchObject({ status: 'complete', version: 2 }))
    expect((await api(`/api/payments/${paid.id}`, { as: seller })).body).toMatchObject({ orderId: order.id })
    expect((await api('/api/users/me', { as: buyer })).body).toMatchObject({ id: buyer.id })
  })

  it('when the buyer cancels, then the ticket is released and can be reserved again', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Stored and released', price: 3100 })
    const order = (await reserve(stack, buyer, ticket.id)).body
    expect((await api<Order>(`/api/orders/${order.id}`, { method: 'DELETE', as: buyer })).body.status).toBe('cancelled')
    await eventually(async () => expect((await api(`/api/tickets/${ticket.id}`)).body).toMatchObject({ orderId: null }))
    expect((await reserve(stack, buyer, ticket.id)).status).toBe(201)
  })
})
