import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../../dev/src/stack'
import { client, eventually, listTicket, signUp, startStack, type Order, type Person, type Ticket } from '../system/support'

// Issue 8, item 4: a seller's edit and a buyer's reservation at the same instant both succeeded, and the order kept
// the old price while the ticket it held showed the new one: the buyer would pay a price the seller had changed.
const ROUNDS = 20

let stack: Stack
let api: ReturnType<typeof client>
let seller: Person
let buyer: Person
beforeAll(async () => {
  stack = await startStack()
  api = client(stack)
  seller = await signUp(stack, 'race-seller')
  buyer = await signUp(stack, 'race-buyer')
})
afterAll(() => stack?.close())

/** Waits until the orders service has its copy of the ticket: the seller's own order is then refused (403), not unknown (404). */
const untilOrdersKnows = (ticketId: string) =>
  eventually(async () => {
    const { status } = await api('/api/orders', { method: 'POST', as: seller, body: { ticketId } })
    if (status !== 403) throw new Error(`orders answers ${status} for the seller's own ticket`)
  })

/** What one round left behind, once the events have gone through: the order, and the ticket it was placed on. */
type Outcome = { order: Order; ticket: Ticket }

/** Fair: cancelled for the change (and the ticket free again), or the ticket held by the order at the order's price. */
const fair = ({ order, ticket }: Outcome) =>
  order.status === 'cancelled'
    ? order.cancellationReason === 'ticket-changed' && ticket.orderId === null
    : ticket.orderId === order.id && ticket.price === order.ticket.price && ticket.title === order.ticket.title

describe('when a seller edits a ticket at the instant a buyer reserves it', () => {
  it(`when it happens ${ROUNDS} times, then every order is either cancelled as ticket-changed or holds its ticket at the price it shows`, async () => {
    const placed: Array<{ order: Order; ticketId: string }> = []
    const statuses = { edit: new Set<number>(), order: new Set<number>() }
    for (let round = 0; round < ROUNDS; round++) {
      const listed = await listTicket(stack, seller, { title: `Race ${round}`, price: 5000 })
      await untilOrdersKnows(listed.id)

      const [edit, order] = await Promise.all([
        api<Ticket>(`/api/tickets/${listed.id}`, { method: 'PATCH', as: seller, body: { title: `Race ${round}, moved`, price: 6000 + round } }),
        api<Order>('/api/orders', { method: 'POST', as: buyer, body: { ticketId: listed.id } }),
      ])

      statuses.edit.add(edit.status)
      statuses.order.add(order.status)
      if (order.status === 201) placed.push({ order: order.body, ticketId: listed.id })
    }

    // The edit either lands or is refused because the ticket is reserved; the order is always placed (no one else wants it).
    expect([...statuses.edit].filter((s) => s !== 200 && s !== 409)).toEqual([])
    expect([...statuses.order]).toEqual([201])
    const unfair = await eventually(async () => {
      const outcomes = await Promise.all(
        placed.map(async ({ order, ticketId }) => ({
          order: (await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body,
          ticket: (await api<Ticket>(`/api/tickets/${ticketId}`)).body,
        })),
      )
      const left = outcomes.filter((o) => !fair(o))
      expect(left.map(({ order, ticket }) => ({ status: order.status, paysFor: order.ticket.price, ticketShows: ticket.price, heldByIt: ticket.orderId === order.id })))
        .toEqual([])
      return left
    }, { timeoutMs: 10_000, intervalMs: 100 })

    expect(unfair).toEqual([])
  })
})
