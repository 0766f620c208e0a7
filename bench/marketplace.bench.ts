import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import autocannon from 'autocannon'
import { eventually } from '@ticketing/shared/testing'
import { ensureWebBuild } from '../dev/src/stack/web-build'
import { client, signUp, type Items, type Order, type Person, type Ticket } from '../test/system/support'
import { peakRss, startServer, type ServerProcess } from './processes'
import { seedTickets } from './seed'

// `npm run bench`: every server measured runs in a process of its own (the embedded run as `npm start` runs
// it, a bare node:http yardstick); the load comes from this process, on loopback. Figures are printed, never
// asserted. BENCH_SECONDS (5) per load, BENCH_SIZES (1000,10000,100000) tickets, BENCH_CONNECTIONS (64).
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64)
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number)
const FLOWS = Number(process.env.BENCH_FLOWS ?? 400)
const EXPIRIES = Number(process.env.BENCH_EXPIRIES ?? 1000)
const SEARCH = '/api/tickets?q=row%2012&limit=20'
// How often a waiting buyer asks again: often enough to time a flow to 10 ms, rarely enough not to be the load.
const POLL_MS = 10

type Embedded = ServerProcess<{ gateway: string; tickets: string }>
const dirs: string[] = []
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ticketing-bench-'))
  dirs.push(dir)
  return dir
}
const progress = (text: string) => process.stderr.write(`  bench: ${text}\n`)
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
const percentile = (sorted: number[], p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN)
const ascending = (values: number[]) => [...values].sort((a, b) => a - b)

async function load(url: string) {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 })
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS })
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx }
}

/** Runs `count` tasks, `concurrency` at a time. */
async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count)
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }))
  return results
}

/**
 * Retries `call` while the service has not heard of the thing yet (an event on its way): 404, or payments'
 * 409 order-not-ready; fails on any other 4xx/5xx.
 */
async function whenKnown<T>(what: string, call: () => Promise<{ status: number; body: T }>) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const res = await call()
    if (res.status < 400) return res
    const notYet = res.status === 404 || (res.status === 409 && (res.body as { code?: string } | undefined)?.code === 'order-not-ready')
    if (!notYet || Date.now() > deadline) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`)
    await sleep(POLL_MS)
  }
}

/** Polls until `done` holds; fails after 30 s. */
const until = (what: string, done: () => Promise<boolean>, intervalMs = POLL_MS) =>
  eventually(async () => {
    if (!(await done())) throw new Error(`${what} did not happen within 30 s`)
  }, { timeoutMs: 30_000, intervalMs })

// --- search at each catalog size -----------------------------------------------------------------------------
type SearchRow = { tickets: number; server: string; 'req/s': number; '% of bare': string; 'p50 ms': number; 'p99 ms': number; errors: number }
const searchRows: SearchRow[] = []
const memoryRows: Array<{ process: string; 'idle MiB': number; 'under load MiB': number }> = []
const rpsOf: Record<string, number> = {}
const p99Of: Record<string, number> = {}

for (const size of SIZES) {
  progress(`search with ${size} tickets`)
  const dataDir = scratch()
  await seedTickets(dataDir, size)
  const embedded: Embedded = await startServer('embedded.ts', { BENCH_DATA_DIR: dataDir })
  const page = await (await fetch(`${embedded.info.tickets}${SEARCH}`)).text()
  const bodyFile = join(dataDir, 'page.json')
  writeFileSync(bodyFile, page)
  const bare = await startServer<{ url: string }>('bare.ts', { BENCH_BODY: bodyFile })
  await sleep(1000)
  const idle = { embedded: embedded.rssMiB(), bare: bare.rssMiB() }

  const bareRun = await peakRss(bare.pid, load(`${bare.info.url}${SEARCH}`))
  const direct = await peakRss(embedded.pid, load(`${embedded.info.tickets}${SEARCH}`))
  const gateway = await peakRss(embedded.pid, load(`${embedded.info.gateway}${SEARCH}`))
  for (const [server, run] of [['bare node:http', bareRun], ['tickets service', direct], ['gateway → tickets', gateway]] as const) {
    const { rps, p50, p99, errors } = run.result
    searchRows.push({ tickets: size, server, 'req/s': rps, '% of bare': `${Math.round((100 * rps) / bareRun.result.rps)}%`, 'p50 ms': p50, 'p99 ms': p99, errors })
    rpsOf[`${server}@${size}`] = rps
    p99Of[`${server}@${size}`] = p99
  }
  memoryRows.push({ process: `embedded run, ${size} tickets`, 'idle MiB': idle.embedded, 'under load MiB': Math.max(direct.peakMiB, gateway.peakMiB) })
  memoryRows.push({ process: `bare node:http, ${size} tickets`, 'idle MiB': idle.bare, 'under load MiB': bareRun.peakMiB })
  await bare.stop()
  await embedded.stop()
}

// --- the purchase path and one event hop ---------------------------------------------------------------------
async function people(stack: { url: string }, count: number): Promise<{ seller: Person; buyers: Person[] }> {
  const seller = await signUp(stack, 'bench-seller')
  const buyers = await pool(count, 8, (i) => signUp(stack, `bench-buyer-${i}`))
  return { seller, buyers }
}

progress(`${FLOWS} purchase flows`)
const purchaseRun: Embedded = await startServer('embedded.ts', { BENCH_DATA_DIR: scratch() })
const shop = { url: purchaseRun.info.gateway }
const api = client(shop)
const { seller, buyers } = await people(shop, 32)
const list = (title: string) => api<Ticket>('/api/tickets', { method: 'POST', as: seller, body: { title, price: 2500 } }).then((r) => r.body)
const forSale = await pool(FLOWS, 16, (i) => list(`Flow ${i}`))

// Each buyer reserves and pays; completion is the order's own `updatedAt`, stamped by the orders service when
// payment.created turned it complete, so the bench times the events without polling every order while they run.
const flowStart = Date.now()
const paid = await pool(FLOWS, buyers.length, async (i) => {
  const buyer = buyers[i % buyers.length]!
  const started = Date.now()
  const { body: order } = await whenKnown('reserve', () => api<Order>('/api/orders', { method: 'POST', as: buyer, body: { ticketId: forSale[i]!.id } }))
  await whenKnown('pay', () => api('/api/payments', { method: 'POST', as: buyer, body: { orderId: order.id, paymentMethod: 'pm_card_visa' } }))
  return { id: order.id, buyer, started }
})
const completedAt = new Map<string, number>()
await until('every order complete', async () => {
  for (const buyer of buyers) {
    for (const order of (await api<Items<Order>>('/api/orders?limit=100', { as: buyer })).body.items) {
      if (order.status === 'complete') completedAt.set(order.id, Date.parse(order.updatedAt))
    }
  }
  return paid.every(({ id }) => completedAt.has(id))
}, 200)
const flowsPerSecond = Math.round(FLOWS / ((Math.max(...completedAt.values()) - flowStart) / 1000))
const flows = ascending(paid.map(({ id, started }) => completedAt.get(id)! - started))

progress('event hops')
// One hop, one order at a time: from the reserve request (orders commits the order and its order.created) to the
// tickets service showing the order, polled every millisecond. The reserve request's own time is included.
const hopTickets = await pool(100, 16, (i) => list(`Hop ${i}`))
const hops: number[] = []
for (const ticket of hopTickets) {
  const started = performance.now()
  await whenKnown('reserve', () => api('/api/orders', { method: 'POST', as: buyers[0]!, body: { ticketId: ticket.id } }))
  await until('ticket reserved', async () => Boolean((await api<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId), 1)
  hops.push(performance.now() - started)
}
const hopSorted = ascending(hops)
await purchaseRun.stop()

// --- expiry lateness: orders left unpaid with a 2-second window -----------------------------------------------
progress(`${EXPIRIES} expiries`)
const expiryRun: Embedded = await startServer('embedded.ts', { BENCH_DATA_DIR: scratch(), EXPIRATION_WINDOW_SECONDS: '2' })
const expiryShop = { url: expiryRun.info.gateway }
const expiryApi = client(expiryShop)
const crowd = await people(expiryShop, 16)
const toExpire = await pool(EXPIRIES, 16, (i) =>
  expiryApi<Ticket>('/api/tickets', { method: 'POST', as: crowd.seller, body: { title: `Expiry ${i}`, price: 900 } }).then((r) => r.body),
)
const placed = await pool(EXPIRIES, 16, async (i) => {
  const buyer = crowd.buyers[i % crowd.buyers.length]!
  const { body } = await whenKnown('reserve', () => expiryApi<Order>('/api/orders', { method: 'POST', as: buyer, body: { ticketId: toExpire[i]!.id } }))
  return { id: body.id, buyer }
})
const lateness: number[] = []
const deadline = Date.now() + 120_000
for (const { id, buyer } of placed) {
  for (;;) {
    const { body } = await expiryApi<Order & { updatedAt: string }>(`/api/orders/${id}`, { as: buyer })
    if (body.status === 'cancelled') {
      lateness.push(Date.parse(body.updatedAt) - Date.parse(body.expiresAt))
      break
    }
    if (Date.now() > deadline) break
    await sleep(50)
  }
}
const late = ascending(lateness)
await expiryRun.stop()

// --- idle memory of a fresh embedded run, and the web bundle -------------------------------------------------
const fresh: Embedded = await startServer('embedded.ts', { BENCH_DATA_DIR: scratch() })
await sleep(3000)
const freshIdle = fresh.rssMiB()
await fresh.stop()

await ensureWebBuild()
const assets = resolve(import.meta.dirname, '../web/dist/assets')
const bundle = readdirSync(assets).filter((name) => /\.(js|css)$/.test(name))
const gzipKiB = (ext: string) =>
  Math.round(bundle.filter((name) => name.endsWith(ext)).reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name))).length, 0) / 1024)

for (const dir of dirs) rmSync(dir, { recursive: true, force: true })

// --- the report ----------------------------------------------------------------------------------------------
console.log(`\nSearch "${SEARCH}": ${CONNECTIONS} connections, ${SECONDS} s each, load from this process, each server in its own`)
console.table(searchRows)
console.log('Resident memory')
console.table([...memoryRows, { process: 'embedded run, fresh, nothing stored', 'idle MiB': freshIdle, 'under load MiB': NaN }])
console.log(`Purchase flows (reserve → pay → order complete through the events), ${FLOWS} by ${buyers.length} buyers: ${flowsPerSecond} flows/s; reserve → complete p50 ${percentile(flows, 0.5)} ms, p95 ${percentile(flows, 0.95)} ms`)
console.log(`Event hop, reserve request → tickets shows the order (order.created through two sidecars, one at a time, ${hops.length}): p50 ${percentile(hopSorted, 0.5)} ms, p99 ${percentile(hopSorted, 0.99)} ms`)
const lateCount = late.filter((ms) => ms > 250).length
console.log(`Expiry with a 2 s window, ${placed.length} orders: ${late.length} cancelled; lateness p50 ${percentile(late, 0.5)} ms, p99 ${percentile(late, 0.99)} ms, max ${late.at(-1)} ms; ${lateCount} later than +250 ms`)
console.log(`Web bundle (web/dist/assets, gzipped): ${gzipKiB('.js')} KiB JavaScript, ${gzipKiB('.css')} KiB CSS`)

const [small, large] = [SIZES[0]!, SIZES.at(-1)!]
const targets: Array<[string, boolean, string]> = [
  [`search on the service ≥ 30% of bare at ${small}`, rpsOf[`tickets service@${small}`]! >= 0.3 * rpsOf[`bare node:http@${small}`]!, `${Math.round((100 * rpsOf[`tickets service@${small}`]!) / rpsOf[`bare node:http@${small}`]!)}%`],
  [`search at ${large} within 1.5× of ${small}`, rpsOf[`tickets service@${large}`]! * 1.5 >= rpsOf[`tickets service@${small}`]!, `${rpsOf[`tickets service@${large}`]} vs ${rpsOf[`tickets service@${small}`]} req/s`],
  [`search p99 < 20 ms at ${CONNECTIONS} connections (service, ${small})`, p99Of[`tickets service@${small}`]! < 20, `${p99Of[`tickets service@${small}`]} ms`],
  ['gateway ≥ 60% of the direct figure', rpsOf[`gateway → tickets@${small}`]! >= 0.6 * rpsOf[`tickets service@${small}`]!, `${Math.round((100 * rpsOf[`gateway → tickets@${small}`]!) / rpsOf[`tickets service@${small}`]!)}%`],
  ['≥ 300 purchase flows/s', flowsPerSecond >= 300, `${flowsPerSecond}/s`],
  ['reserve → complete p95 < 100 ms', percentile(flows, 0.95) < 100, `${percentile(flows, 0.95)} ms`],
  [`all ${EXPIRIES} expiries within +250 ms`, late.length === EXPIRIES && lateCount === 0, `${lateCount} late, ${EXPIRIES - late.length} missing`],
  ['embedded run < 250 MiB resident when idle', freshIdle < 250, `${freshIdle} MiB`],
]
console.log('\nTargets')
for (const [target, met, figure] of targets) console.log(`  ${met ? 'met    ' : 'not met'}  ${target}: ${figure}`)
