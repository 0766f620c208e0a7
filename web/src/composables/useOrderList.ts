import { onMounted, ref } from 'vue'
import { messageOf } from '../api/http'
import type { Order } from '../api/orders'

/** A list of orders from one of the list routes (mine, or sales on my tickets), loaded on mount. */
export function useOrderList(load: () => Promise<{ items: Order[] }>) {
  const orders = ref<Order[]>([])
  const loading = ref(true)
  const problem = ref('')

  async function reload() {
    loading.value = true
    problem.value = ''
    try {
      orders.value = (await load()).items
    } catch (err) {
      problem.value = messageOf(err)
    } finally {
      loading.value = false
    }
  }

  onMounted(reload)
  return { orders, loading, problem, reload }
}
