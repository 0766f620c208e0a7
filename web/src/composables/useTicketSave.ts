import { ref } from 'vue'
import { ApiError, messageOf } from '../api/http'
import type { TicketFields } from '../api/tickets'

/** Submitting the ticket form through `save`: busy while it runs, then the API's message and field errors. */
export function useTicketSave(save: (fields: TicketFields) => Promise<void>) {
  const busy = ref(false)
  const problem = ref('')
  const fieldErrors = ref<Record<string, string>>({})

  /** Runs `save`; answers the API's refusal, if that is how it failed, so the page can react to its status. */
  async function submit(fields: TicketFields): Promise<ApiError | null> {
    busy.value = true
    problem.value = ''
    fieldErrors.value = {}
    try {
      await save(fields)
      return null
    } catch (err) {
      problem.value = messageOf(err)
      if (!(err instanceof ApiError)) return null
      fieldErrors.value = err.fieldMessages()
      return err
    } finally {
      busy.value = false
    }
  }

  return { busy, problem, fieldErrors, submit }
}
