import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { client, eventually, signUp, type Order, type Person, type Problem, type Ticket } from '../system/support'
import { startMarketplace, type MarketplaceProcess } from './marketplace-process'

// SIGKILL at a random moment of a bounded burst of writes, five times over one data directory: every write
// that was answered 2xx is there after the restart, and every acknowledged order reached every service.
const dataDir = mkdtempSync(join(tmpdir(), 'ticketing-kill-'))
let run: MarketplaceProcess | undefined
afterAll(async () => {
  await run?.stop('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

const rounds = 5
const workers = 4
const windowSeconds = 4
// A seeded generator, so a failing round can be replayed.
let seed = 20261202
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

const start = () => startMarketplace({ dataDir, env: { EXPIRATION_WINDOW_SECONDS: String(windowSeconds) } })

type Acknowledged = { tickets: Ticket[]; orders: Order[] }

/** Lists and orders tickets from several workers until the process dies or each has done 40 steps. */
async function burst(target: MarketplaceProcess, seller: Person, buyer: Person, acknowledged: Acknowledged) {
  const api = client(target)
  const listed: string[] = []
  const worker = async () => {
    for (let step = 0; step < 40; step++) {
      try {
        const ticket = await api<Ticket>('/api/tickets', { method: 'POST', as: seller, body: { title: `Burst ${step}`, price: 1500 } })
        if (ticket.status === 201) {
          acknowledged.tickets.push(ticket.body)
          listed.push(ticket.body.id)
        }
        const earlier = listed[Math.floor(random() * listed.length)]
        if (!earlier) continue
        const order = await api<Order>('/api/orders', { method: 'POST', as: buyer, body: { ticketId: earlier } })
        if (order.status === 201) acknowledged.orders.push(order.body)
      } catch {
        return // the process is gone
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, worker))
}

describe('SIGKILL during a burst of writes', () => {
  it(`when the marketplace is killed at a random moment ${rounds} times, then every acknowledged write survives and reached every service`, async () => {
    run = await start()
    const seller = await signUp(run, 'kim')
    const buyer = await signUp(run, 'kai')
    const acknowledged: Acknowledged = { tickets: [], orders: [] }

    for (let round = 0; round < rounds; round++) {
      const target = run
      const writes = burst(target, seller, buyer, acknowledged)
      await new Promise((resolve) => setTimeout(resolve, 200 + random() * 800))
      expect(await target.stop('SIGKILL')).toBeNull()
      await writes
      run = await start()
    }

    const api = client(run)
    console.info(`acknowledged over ${rounds} kills: ${acknowledged.tickets.length} listings, ${acknowledged.orders.length} orders`)
    expect(acknowledged.tickets.length).toBeGreaterThan(rounds)
    expect(acknowledged.orders.length).toBeGreaterThan(0)
    for (const ticket of acknowledged.tickets) {
      expect((await api<Ticket>(`/api/tickets/${ticket.id}`)).body).toMatchObject({ id: ticket.id, title: ticket.title, price: ticket.price })
    }
    for (const order of acknowledged.orders) {
      // Expiration had it: its window ran out and it was cancelled.
      await eventually(async () => expect((await api<Order>(`/api/orders/${order.id}`, { as: buyer })).body.status).toBe('cancelled'), { timeoutMs: 20_000 })
      // Payments knows it, and that it was cancelled.
      const pay = await eventually(async () => {
        const res = await api<Problem>('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } })
        if (res.body.code !== 'order-cancelled') throw new Error(`payments answered ${res.status} ${res.body.code}`)
        return res
      })
      expect(pay.status).toBe(409)
    }
    // Tickets had every one of them: each order held its ticket once and let it go, two versions each.
    const ordersPerTicket = Map.groupBy(acknowledged.orders, (order) => order.ticket.id)
    for (const [ticketId, orders] of ordersPerTicket) {
      await eventually(async () => expect((await api<Ticket>(`/api/tickets/${ticketId}`)).body).toMatchObject({ orderId: null, version: 1 + 2 * orders.length }))
    }
  }, 300_000)
})
