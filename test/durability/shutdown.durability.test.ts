import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { client, signUp, type Ticket } from '../system/support'
import { startMarketplace, type MarketplaceProcess } from './marketplace-process'

// SIGTERM while requests are under way: each one the marketplace took gets its whole answer and what was
// answered 201 is stored. A request it never took fails on the client's side (refused, or reset on a
// kept-alive connection the server was closing as idle) and left nothing behind.
const dataDir = mkdtempSync(join(tmpdir(), 'ticketing-shutdown-'))
const runs: MarketplaceProcess[] = []
afterAll(async () => {
  for (const run of runs) await run.stop('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

type Outcome = { title: string } & ({ status: number; ticket?: Ticket } | { error: string })

/** The low-level reason a fetch failed (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
function reasonOf(err: unknown): string {
  const code = (err as { cause?: { code?: unknown } }).cause?.code
  return typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown'
}

describe('SIGTERM with requests in flight', () => {
  it('when the marketplace is stopped under load, then every request it took gets its full response and every 201 is kept', async () => {
    let run = await startMarketplace({ dataDir })
    runs.push(run)
    const seller = await signUp(run, 'sue')
    const url = run.url

    const requests = Array.from({ length: 60 }, async (_, i): Promise<Outcome> => {
      const title = `In flight #${i}#`
      await new Promise((resolve) => setTimeout(resolve, i * 2))
      try {
        const res = await fetch(`${url}/api/tickets`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Session-Token': seller.token },
          body: JSON.stringify({ title, description: 'Standing', price: 2000 }),
        })
        const text = await res.text()
        return res.status === 201 ? { title, status: 201, ticket: JSON.parse(text) as Ticket } : { title, status: res.status }
      } catch (err) {
        return { title, error: reasonOf(err) }
      }
    })
    await new Promise((resolve) => setTimeout(resolve, 40))
    const exitCode = await run.stop('SIGTERM')
    const outcomes = await Promise.all(requests)

    expect(exitCode).toBe(0)
    const answered = outcomes.filter((o) => 'status' in o)
    const failed = outcomes.filter((o) => 'error' in o)
    console.info(`${answered.length} answered, ${failed.length} not taken (${[...new Set(failed.map((o) => o.error))].join(', ')})`)
    expect(answered.length).toBeGreaterThan(0)
    expect(answered.map((o) => o.status).filter((s) => s !== 201)).toEqual([])
    expect(failed.map((o) => o.error).filter((reason) => reason !== 'ECONNREFUSED' && reason !== 'ECONNRESET')).toEqual([])

    run = await startMarketplace({ dataDir })
    runs.push(run)
    const api = client(run)
    for (const { ticket } of answered) {
      expect((await api<Ticket>(`/api/tickets/${ticket!.id}`)).body).toMatchObject({ id: ticket!.id, title: ticket!.title })
    }
    // A request that got no answer was not half done: nothing was listed under its title.
    for (const { title } of failed) {
      expect((await api<{ items: Ticket[] }>(`/api/tickets?q=${encodeURIComponent(title)}`)).body.items).toEqual([])
    }
  })
})
