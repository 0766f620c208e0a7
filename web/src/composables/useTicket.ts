import { ref, watch, type Ref } from 'vue'
import { ApiError, messageOf } from '../api/http'
import { getTicket, type Ticket } from '../api/tickets'

/** One ticket, reloaded whenever the id changes. */
export function useTicket(id: Ref<string>) {
  const ticket = ref<Ticket | null>(null)
  const problem = ref('')
  const notFound = ref(false)

  async function reload() {
    problem.value = ''
    notFound.value = false
    try {
      ticket.value = await getTicket(id.value)
    } catch (err) {
      ticket.value = null
      notFound.value = err instanceof ApiError && err.status === 404
      problem.value = messageOf(err)
    }
  }

  watch(id, reload, { immediate: true })
  return { ticket, problem, notFound, reload }
}
