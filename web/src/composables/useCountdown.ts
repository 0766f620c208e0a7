import { computed, onScopeDispose, ref, type Ref } from 'vue'

/** Time left until `deadline` (an ISO date), ticking every second; "mm:ss" for display. */
export function useCountdown(deadline: Ref<string | undefined>) {
  const current = ref(Date.now())
  const timer = setInterval(() => (current.value = Date.now()), 1000)
  onScopeDispose(() => clearInterval(timer))

  const remainingMs = computed(() => (deadline.value ? Math.max(0, Date.parse(deadline.value) - current.value) : 0))
  const label = computed(() => {
    const seconds = Math.ceil(remainingMs.value / 1000)
    return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`
  })
  return { remainingMs, label, expired: computed(() => remainingMs.value === 0) }
}
