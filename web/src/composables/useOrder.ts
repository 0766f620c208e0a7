import { onScopeDispose, ref, watch, type Ref } from 'vue'
import { messageOf } from '../api/http'
import { cancelOrder, getOrder, type Order, type OrderStatus } from '../api/orders'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One order: load, cancel, and wait for it to move on (it completes through events after a payment). */
export function useOrder(id: Ref<string>, options: { pollMs?: number; pollAttempts?: number } = {}) {
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
      problem.value = messageOf(err)
      await reload()
    } finally {
      cancelling.value = false
    }
  }

  /** Polls until the order has `status`, a bounded number of times; answers whether it got there. */
  async function waitFor(status: OrderStatus): Promise<boolean> {
    for (let attempt = 0; attempt < (options.pollAttempts ?? 60) && !disposed; attempt++) {
      await reload()
      if (order.value?.status === status) return true
      await pause(options.pollMs ?? 500)
    }
    return false
  }

  watch(id, reload, { immediate: true })
  return { order, problem, cancelling, reload, cancel, waitFor }
}
