import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { startLocalStack } from '../dev/src/stack'
import { signUp, listTicket, client, type Ticket } from '../test/system/support'

// `npm run bench`: throughput, latency and memory of the one-machine stack, on loopback only.
// Each scenario is bounded in time; the figures are printed, never asserted.
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 20
const SEED_TICKETS = 1000

// On disk, as `npm start` keeps it: every write is a synced SQLite transaction.
const dataDir = mkdtempSync(join(tmpdir(), 'ticketing-bench-'))
// The gateway's per-client write limits would measure 429s: one client sends all the load here.
const stack = await startLocalStack({ port: 0, dataDir, quiet: true, env: { GATEWAY_API_WRITES_PER_MINUTE: '0', GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE: '0' } })
const api = client(stack)
const seller = await signUp(stack, 'bench-seller')
const buyer = await signUp(stack, 'bench-buyer')

const ids: string[] = []
for (let batch = 0; batch < SEED_TICKETS / 50; batch++) {
  const listed = await Promise.all(
    Array.from({ length: 50 }, (_, i) => listTicket(stack, seller, { title: `Concert ${batch * 50 + i}, row ${i % 30}`, price: 1000 + i })),
  )
  ids.push(...listed.map((t) => t.id))
}
await stack.broker.idle()

type Row = { scenario: string; 'req/s': number; 'p50 ms': number; 'p99 ms': number; '2xx': number; 'non-2xx': number; errors: number }
const rows: Row[] = []

async function measure(scenario: string, path: string, options: Partial<autocannon.Options> = {}) {
  const result = await autocannon({ url: `${stack.url}${path}`, connections: CONNECTIONS, duration: DURATION_S, ...options })
  rows.push({
    scenario,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    '2xx': result['2xx'],
    'non-2xx': result.non2xx,
    errors: result.errors,
  })
}

const asSeller = { 'X-Session-Token': seller.token, 'Content-Type': 'application/json' }
const asBuyer = { 'X-Session-Token': buyer.token, 'Content-Type': 'application/json' }
let next = 0

await measure('search tickets by name (GET /api/tickets?q=)', '/api/tickets?q=row%2012&limit=20')
await measure('get one ticket (GET /api/tickets/:id)', `/api/tickets/${ids[0]}`)
await measure('list a ticket (POST /api/tickets: Kratos, Keto, outbox)', '/api/tickets', {
  method: 'POST', headers: asSeller, body: JSON.stringify({ title: 'Bench ticket', price: 2500 }),
})
await measure('reserve a free ticket (POST /api/orders: Keto, unique hold)', '/api/orders', {
  method: 'POST',
  headers: asBuyer,
  requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ ticketId: ids[next++ % ids.length] }) }) }],
})

// How long an order takes to reach the tickets service through the sidecars (order.created → reserved).
const propagation: number[] = []
for (const ticket of (await Promise.all(Array.from({ length: 30 }, (_, i) => listTicket(stack, seller, { title: `Latency ${i}`, price: 900 }))))) {
  await stack.broker.idle()
  const started = performance.now()
  await api('/api/orders', { method: 'POST', as: buyer, body: { ticketId: ticket.id } })
  while ((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId === null) await new Promise((r) => setTimeout(r, 1))
  propagation.push(performance.now() - started)
}
propagation.sort((a, b) => a - b)
const pct = (p: number) => Math.round(propagation[Math.min(propagation.length - 1, Math.floor(p * propagation.length))]!)

await stack.broker.idle()
const memory = process.memoryUsage()
console.log(`\nTicketing on one machine (SQLite files in ${dataDir}): ${CONNECTIONS} connections, ${DURATION_S} s a scenario, ${ids.length} tickets seeded\n`)
console.table(rows)
console.log(`order placed → ticket reserved (event through two sidecars): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms over ${propagation.length} orders`)
console.log(`memory of the whole stack in one process: rss ${Math.round(memory.rss / 2 ** 20)} MiB, heap used ${Math.round(memory.heapUsed / 2 ** 20)} MiB`)

await stack.close()
rmSync(dataDir, { recursive: true, force: true })
process.exit(0)
