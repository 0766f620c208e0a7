import { ref } from 'vue'
import { ApiError, messageOf } from '../api/http'
import { createOrder, type Order } from '../api/orders'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Reserves a ticket. The orders service learns of a new ticket through an event, so a ticket listed a
 * moment ago can still be unknown there (404): that is retried a few times before giving up.
 */
export function useReservation(options: { attempts?: number; retryDelayMs?: number } = {}) {
  const busy = ref(false)
  const problem = ref('')

  async function reserve(ticketId: string): Promise<Order | null> {
    busy.value = true
    problem.value = ''
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await createOrder(ticketId)
        } catch (err) {
          const unknownYet = err instanceof ApiError && err.code === 'ticket-not-found'
          if (!unknownYet || attempt >= (options.attempts ?? 5)) throw err
          await pause(options.retryDelayMs ?? 400)
        }
      }
    } catch (err) {
      problem.value = messageOf(err)
      return null
    } finally {
      busy.value = false
    }
  }

  return { busy, problem, reserve }
}
