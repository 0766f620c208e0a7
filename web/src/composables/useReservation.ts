import { ref } from 'vue'
import { messageOf } from '../api/http'
import { createOrder, type Order } from '../api/orders'

/** Reserves a ticket: places an order for it, or keeps the reason it was refused. */
export function useReservation() {
  const busy = ref(false)
  const problem = ref('')

  async function reserve(ticketId: string): Promise<Order | null> {
    busy.value = true
    problem.value = ''
    try {
      return await createOrder(ticketId)
    } catch (err) {
      problem.value = messageOf(err)
      return null
    } finally {
      busy.value = false
    }
  }

  return { busy, problem, reserve }
}
