import { onScopeDispose, ref, watch, type Ref } from 'vue'
import { messageOf, pause } from '../api/http'
import { cancelOrder, getOrder, type Order, type OrderStatus } from '../api/orders'

const pollMs = 500
const pollAttempts = 60

/** One order: load, cancel, and follow it while it moves on (a payment completes it, the expiry cancels it). */
export function useOrder(id: Ref<string>) {
  const order = ref<Order | null>(null)
  const problem = ref('')
  const cancelling = ref(false)
  let disposed = false
  onScopeDispose(() => (disposed = true))

  async function reload() {
    try {
      order.value = await getOrder(id.value)
      problem.value = ''
    } catch (err) {
      problem.value = messageOf(err)
    }
  }

  async function cancel() {
    cancelling.value = true
    problem.value = ''
    try {
      order.value = await cancelOrder(id.value)
    } catch (err) {
      // Show the order as it is now (paid or expired meanwhile), and keep the refusal visible.
      await reload()
      problem.value = messageOf(err)
    } finally {
      cancelling.value = false
    }
  }

  /**
   * Polls, a bounded number of times, until the order is no longer `created`; answers the status it moved to,
   * or null when it has not moved (yet).
   */
  async function waitFor(): Promise<Exclude<OrderStatus, 'created'> | null> {
    for (let attempt = 0; attempt < pollAttempts && !disposed; attempt++) {
      await reload()
      const status = order.value?.status
      if (status && status !== 'created') return status
      await pause(pollMs)
    }
    return null
  }

  watch(id, reload, { immediate: true })
  return { order, problem, cancelling, reload, cancel, waitFor }
}
