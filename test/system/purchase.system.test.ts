import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../../dev/src/stack'
import { client, eventually, listTicket, reserve, signUp, startStack, type Items, type Order, type Payment, type Person, type Problem, type Ticket } from './support'

// The purchase choreography over HTTP through the gateway only; services talk through events.
let stack: Stack
let api: ReturnType<typeof client>
let seller: Person
let buyer: Person
let stranger: Person

beforeAll(async () => {
  stack = await startStack()
  api = client(stack)
  ;[seller, buyer, stranger] = await Promise.all([signUp(stack, 'seller'), signUp(stack, 'buyer'), signUp(stack, 'stranger')])
})
afterAll(() => stack?.close())

// vitest types its asymmetric matchers `any`; as `unknown` one can stand for a field of a typed body.
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern)

describe('buying a ticket', () => {
  it('when the buyer reserves and pays with pm_card_visa, then the order completes, the ticket stays reserved and the seller sees the sale', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Radiohead, Berlin', price: 8900 })
    const reserved = await reserve(stack, buyer, ticket.id)
    expect(reserved.status).toBe(201)
    const order = reserved.body
    expect(order).toMatchObject({ status: 'created', userId: buyer.id, ticket: { id: ticket.id, price: 8900, sellerId: seller.id } })
    await eventually(async () => expect((await api(`/api/tickets/${ticket.id}`)).body).toMatchObject({ orderId: order.id }))

    const paid = await eventually(async () => {
      const res = await api<Payment>('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
      if (res.status === 404) throw new Error('payments has not heard of the order yet')
      return res
    })
    expect(paid.status).toBe(201)
    expect(paid.body).toMatchObject({ orderId: order.id, stripeId: matching(/^pi_/), version: 1 })

    await eventually(async () => expect((await api(`/api/orders/${order.id}`, { as: buyer })).body).toMatchObject({ status: 'complete', version: 2 }))
    expect((await api(`/api/tickets/${ticket.id}`)).body).toMatchObject({ orderId: order.id })
    expect((await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', as: seller, body: { price: 100 } })).status).toBe(409)
    const sales = (await api<Items<Order>>('/api/orders/sales', { as: seller })).body.items
    expect(sales.map((o) => [o.id, o.status])).toContainEqual([order.id, 'complete'])
    const mine = (await api<Items<Order>>('/api/orders', { as: buyer })).body.items
    expect(mine.map((o) => o.id)).toContain(order.id)
    expect((await api(`/api/payments/${paid.body.id}`, { as: seller })).body).toMatchObject({ id: paid.body.id, orderId: order.id })
  })

  it('when 50 buyers order the same ticket at once, then exactly one order exists, the rest get 409 and nothing fails', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Last seat, final night', price: 12000 })
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => signUp(stack, `racer${i}`)))
    // Wait until the ticket is orderable, without ordering it.
    await eventually(async () => expect((await api('/api/orders', { method: 'POST', as: seller, body: { ticketId: ticket.id } })).status).toBe(403))

    const statuses = await Promise.all(buyers.map(async (b) => (await api('/api/orders', { method: 'POST', as: b, body: { ticketId: ticket.id } })).status))
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(49)
    const sales = (await api<Items<Order>>('/api/orders/sales?limit=100', { as: seller })).body.items
    expect(sales.filter((o) => o.ticket.id === ticket.id)).toHaveLength(1)
  })

  it('when the card is declined, then 402 with the reason and the order can still be paid', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Jazz club', price: 3000 })
    const order = (await reserve(stack, buyer, ticket.id)).body
    const declined = await eventually(async () => {
      const res = await api<Problem>('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_chargeDeclined' } })
      if (res.status === 404) throw new Error('payments has not heard of the order yet')
      return res
    })
    expect(declined.status).toBe(402)
    expect(declined.body).toMatchObject({ code: 'card-declined', detail: 'Your card was declined.' })
    expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('created')

    const paid = await api('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
    expect(paid.status).toBe(201)
    await eventually(async () => expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('complete'))
  })

  it('when the buyer cancels, then the ticket is editable and orderable again and paying the cancelled order is 409', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Opera night', price: 4000 })
    const order = (await reserve(stack, buyer, ticket.id)).body
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBe(order.id))

    const cancelled = await api(`/api/orders/${order.id}`, { method: 'DELETE', as: buyer })
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 2 })
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBeNull())
    expect((await api(`/api/tickets/${ticket.id}`, { method: 'PATCH', as: seller, body: { price: 4500 } })).body).toMatchObject({ price: 4500 })
    await eventually(async () => {
      const res = await api<Problem>('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
      expect([res.status, res.body.code]).toEqual([409, 'order-cancelled'])
    })
    expect((await reserve(stack, stranger, ticket.id)).status).toBe(201)
  })
})

describe('who may do what with an order and its payment', () => {
  let order: { id: string }
  let payment: { id: string }
  beforeAll(async () => {
    const ticket = await listTicket(stack, seller, { title: 'Matrix of rights', price: 1000 })
    order = (await reserve(stack, buyer, ticket.id)).body
    payment = (await eventually(async () => {
      const res = await api<Payment>('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
      if (res.status !== 201) throw new Error(`not paid yet: ${res.status}`)
      return res
    })).body
  })

  it.each([
    ['buyer', 200], ['seller', 200], ['stranger', 403],
  ] as const)('when the %s views the order, then %i', async (who, status) => {
    expect((await api(`/api/orders/${order.id}`, { as: { buyer, seller, stranger }[who] })).status).toBe(status)
  })

  it.each([
    ['buyer', 200], ['seller', 200], ['stranger', 403],
  ] as const)('when the %s views the payment, then %i', async (who, status) => {
    expect((await api(`/api/payments/${payment.id}`, { as: { buyer, seller, stranger }[who] })).status).toBe(status)
  })

  it.each([
    ['seller', 403], ['stranger', 403],
  ] as const)('when the %s cancels or pays the order, then %i', async (who, status) => {
    const as = { seller, stranger }[who]
    expect((await api(`/api/orders/${order.id}`, { method: 'DELETE', as })).status).toBe(status)
    expect((await api('/api/payments', { method: 'POST', as, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })).status).toBe(status)
  })

  it('when the buyer cancels or pays the paid order again, then 409 (allowed, but it has settled)', async () => {
    await eventually(async () => expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('complete'))
    expect((await api(`/api/orders/${order.id}`, { method: 'DELETE', as: buyer })).status).toBe(409)
    expect((await api('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })).status).toBe(409)
  })
})
