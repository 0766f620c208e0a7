import type { Deps } from '../deps'
import type { Ticket } from './ticket'

/** One page of tickets whose title contains `q`, newest first, and the id to continue after (if any). */
export async function searchTickets(deps: Deps, query: { q?: string; limit: number; after?: string }) {
  const found = await deps.store.search({ ...query, limit: query.limit + 1 })
  const items: Ticket[] = found.slice(0, query.limit)
  const last = items.at(-1)
  return { items, nextAfter: found.length > query.limit && last ? last.id : null }
}
