import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { client, eventually, listTicket, reserve, signUp, type Items, type Order, type Payment, type Person, type Problem, type Ticket } from '../system/support'
import { startMarketplace, type MarketplaceProcess } from './marketplace-process'
import { signIn } from './sign-in'

// The journey of a newcomer's `npm start`, stopped with SIGTERM and started again on the same data
// directory: every account, session, ticket, order, payment and permission is still there, the pending
// reservation still expires, and the order placed just before the stop reached every service. Once with
// every service on its SQLite file, once on a MongoDB-wire server (MONGO_URL), which must restart on its
// own data too.
const mongoUrl = inject('mongoUrl')
const runs: MarketplaceProcess[] = []
const dataDirs: string[] = []
afterAll(async () => {
  for (const run of runs) await run.stop('SIGKILL')
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

const password = 'a long enough password'
const windowSeconds = 3

async function start(dataDir: string, storage: Record<string, string>) {
  const run = await startMarketplace({ dataDir, env: { ...storage, EXPIRATION_WINDOW_SECONDS: String(windowSeconds) } })
  runs.push(run)
  return run
}

async function pay(run: MarketplaceProcess, buyer: Person, orderId: string) {
  const api = client(run)
  return eventually(async () => {
    const res = await api<Payment | Problem>('/api/payments', { method: 'POST', as: buyer, body: { orderId, paymentMethod: 'pm_card_visa' } })
    const notYet = res.status === 404 || (res.status === 409 && (res.body as Problem).code === 'order-not-ready')
    if (notYet) throw new Error('payments has not heard of the order yet')
    return res
  })
}

// The MongoDB variant is not skipped under CI: the tier's setup fails there when FerretDB cannot be built.
const storages: Array<[string, Record<string, string>]> = [['SQLite files', {}], ...(mongoUrl ? [['MongoDB', { MONGO_URL: mongoUrl }] as [string, Record<string, string>]] : [])]

describe.each(storages)('a SIGTERM and a restart on the same data directory, services on %s', (_, storage) => {
  it('when the marketplace starts again, then nothing accepted was lost and what was under way finishes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ticketing-durable-'))
    dataDirs.push(dataDir)
    // Arrange: two people, listings, a paid order, a pending one, and one placed just before the stop.
    let run = await start(dataDir, storage)
    let api = client(run)
    const seller = await signUp(run, 'sam')
    const buyer = await signUp(run, 'bea')
    const stranger = await signUp(run, 'sid')
    const paidTicket = await listTicket(run, seller, { title: 'Paid gig', price: 4200 })
    const pendingTicket = await listTicket(run, seller, { title: 'Pending gig', price: 3100 })
    const lastTicket = await listTicket(run, seller, { title: 'Last gig', price: 2500 })
    const freeTicket = await listTicket(run, seller, { title: 'Free gig', price: 1000 })
    const paidOrder = (await reserve(run, buyer, paidTicket.id)).body
    const payment = (await pay(run, buyer, paidOrder.id)).body as Payment
    await eventually(async () => expect((await api<Order>(`/api/orders/${paidOrder.id}`, { as: buyer })).body.status).toBe('complete'))
    const pendingOrder = (await reserve(run, buyer, pendingTicket.id)).body
    await eventually(async () => expect((await api<Ticket>(`/api/tickets/${lastTicket.id}`)).body.id).toBe(lastTicket.id))
    const lastOrder = await reserve(run, buyer, lastTicket.id)
    expect(lastOrder.status).toBe(201)
    const before = {
      tickets: (await api<Items<Ticket>>('/api/tickets?limit=100')).body.items.filter((t) => [paidTicket.id, freeTicket.id].includes(t.id)),
      paid: (await api<Order>(`/api/orders/${paidOrder.id}`, { as: buyer })).body,
      payment: (await api<Payment>(`/api/payments/${payment.id}`, { as: buyer })).body,
      sales: (await api<Items<Order>>('/api/orders/sales', { as: seller })).body.items.map((o) => o.id).sort(),
    }

    // Act: stop with SIGTERM right after the last order was acknowledged, then start again.
    expect(await run.stop('SIGTERM')).toBe(0)
    run = await start(dataDir, storage)
    api = client(run)

    // Assert: people sign in with their passwords, and their old session tokens still work.
    for (const person of [seller, buyer]) {
      expect(typeof (await signIn(run.url, person.email, password))).toBe('string')
      expect((await api<{ email: string }>('/api/users/me', { as: person })).body.email).toBe(person.email)
    }
    expect(await signIn(run.url, buyer.email, 'not the password')).toBe(400)
    // Tickets, the paid order, its payment and the seller's sales are as they were.
    const tickets = (await api<Items<Ticket>>('/api/tickets?limit=100')).body.items
    expect(tickets.filter((t) => [paidTicket.id, freeTicket.id].includes(t.id))).toEqual(before.tickets)
    expect((await api<Order>(`/api/orders/${paidOrder.id}`, { as: buyer })).body).toEqual(before.paid)
    expect((await api<Payment>(`/api/payments/${payment.id}`, { as: buyer })).body).toEqual(before.payment)
    expect((await api<Items<Order>>('/api/orders/sales', { as: seller })).body.items.map((o) => o.id).sort()).toEqual(before.sales)
    // Permissions: the seller still may not order their own ticket; a stranger still may not see the buyer's order.
    expect((await api('/api/orders', { method: 'POST', as: seller, body: { ticketId: freeTicket.id } })).status).toBe(403)
    expect((await api(`/api/orders/${paidOrder.id}`, { as: stranger })).status).toBe(403)
    // Both reservations run out (the pending one's window passed while stopped): expiration had them, and
    // tickets held each ticket for its order (version 2) and let it go (version 3).
    for (const [order, ticket] of [[pendingOrder, pendingTicket], [lastOrder.body, lastTicket]] as const) {
      await eventually(async () => expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('cancelled'), { timeoutMs: 15_000 })
      await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body).toMatchObject({ orderId: null, version: 3 }))
    }
    // Payments knows the last order, and that it was cancelled.
    const late = await pay(run, buyer, lastOrder.body.id)
    expect([late.status, (late.body as Problem).code]).toEqual([409, 'order-cancelled'])
  }, 120_000)
})
