import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startPlatformStack, type PlatformStack, type Pubsub } from '../../dev/src/platform'
import { client, eventually, listTicket, reserve, signUp, type Order, type Person, type Ticket } from '../system/support'

// What only real daprd, its placement and scheduler, and a real broker can show: a node lost with a
// reminder pending, a subscriber away while events are published, and a poison event given up on.
let stack: PlatformStack
let api: ReturnType<typeof client>
let seller: Person
let buyer: Person

beforeAll(async () => {
  stack = await startPlatformStack({ bin: inject('platformBin'), pubsub: process.env.PLATFORM_PUBSUB as Pubsub, env: { EXPIRATION_WINDOW_SECONDS: '20' } })
  api = client(stack)
  ;[seller, buyer] = await Promise.all([signUp(stack, 'seller'), signUp(stack, 'buyer')])
})
afterAll(() => stack?.close())

describe('the marketplace on the real platform, when things fail', () => {
  it('when the expiration service and its sidecar are SIGKILLed with a 20-second reservation pending, then the order still expires', async () => {
    const ticket = await listTicket(stack, seller, { title: 'Survives a crash', price: 3000 })
    const order = (await reserve(stack, buyer, ticket.id)).body
    // order.created handled by expiration means its reminder is with the scheduler.
    await stack.settle()
    await stack.crash('expiration')
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    await stack.revive('expiration')

    expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('created')
    const cancelled = await eventually(
      async () => {
        const { body } = await api<Order>(`/api/orders/${order.id}`, { as: buyer })
        if (body.status !== 'cancelled') throw new Error(`order is ${body.status}`)
        return body
      },
      { timeoutMs: 60_000 },
    )
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 })
    // No earlier than the window: the reminder fired, not a restart.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(order.expiresAt))
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId).toBeNull())
  })

  it('when a ticket is listed while the orders service and its sidecar are down, then orders hears of it once they are back', async () => {
    await stack.crash('orders')
    const ticket = await listTicket(stack, seller, { title: 'Listed while orders was away', price: 4100 })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    await stack.revive('orders')

    const { status, body } = await reserve(stack, buyer, ticket.id)
    expect(status).toBe(201)
    expect(body.ticket).toMatchObject({ id: ticket.id, title: 'Listed while orders was away', price: 4100 })
  })

  it("when an event breaks its topic's contract, then each subscriber gives up on it into its <app-id>.dead-letter topic", async () => {
    const id = `poison-${crypto.randomUUID()}`
    const res = await fetch(`${stack.sidecars.auth}/v1.0/publish/pubsub/order.created?metadata.cloudevent.id=${id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ not: 'an order' }),
    })
    expect(res.status).toBe(204)
    // tickets, payments and expiration subscribe to order.created.
    const dead = await eventually(async () => {
      const mine = (await stack.deadLetters()).filter((letter) => letter.event.id === id)
      if (mine.length < 3) throw new Error(`${mine.length} dead letters so far`)
      return mine
    })
    expect(dead.map((letter) => [letter.appId, letter.deadLetterTopic]).sort()).toEqual([
      ['expiration', 'expiration.dead-letter'],
      ['payments', 'payments.dead-letter'],
      ['tickets', 'tickets.dead-letter'],
    ])
    for (const letter of dead) expect(letter.event).toMatchObject({ id, topic: 'order.created', source: 'auth', data: { not: 'an order' } })
  })
})
