import { ref } from 'vue'
import { messageOf } from '../api/http'
import { searchTickets, type Ticket } from '../api/tickets'

const pageSize = 12

/** Search results over GET /api/tickets, one page at a time ("more" follows nextCursor). */
export function useTickets() {
  const items = ref<Ticket[]>([])
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const problem = ref('')
  let query = ''
  // Only the latest search may write results: an earlier, slower answer is dropped.
  let generation = 0

  async function load(cursor: string | null) {
    const mine = ++generation
    loading.value = true
    problem.value = ''
    try {
      const page = await searchTickets({ q: query, limit: pageSize, cursor })
      if (mine !== generation) return
      items.value = cursor ? [...items.value, ...page.items] : page.items
      nextCursor.value = page.nextCursor
    } catch (err) {
      if (mine === generation) problem.value = messageOf(err)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return {
    items,
    nextCursor,
    loading,
    problem,
    search: (q: string) => {
      query = q
      return load(null)
    },
    more: () => (nextCursor.value ? load(nextCursor.value) : Promise.resolve()),
  }
}
