import { ResponseError, type LoginFlow, type RegistrationFlow, type UiContainer } from '@ory/client-fetch'
import { ref, shallowRef } from 'vue'
import { useSession } from './useSession'

export type FlowKind = 'login' | 'registration'
type Flow = LoginFlow | RegistrationFlow

// Turns flat node names ("traits.email") into the nested body Kratos expects.
function nestValues(values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    const path = name.split('.')
    const last = path.pop() as string
    let target = body
    for (const part of path) target = (target[part] ??= {}) as Record<string, unknown>
    target[last] = value
  }
  return body
}

/** The parts of a Kratos error answer the flow reads: the error, or (on a 400) the flow again with its messages. */
type KratosAnswer = { error?: { id?: string; reason?: string; message?: string }; ui?: UiContainer }

// Kratos's error answers come in several shapes, or without JSON; only the optional fields above are read.
const answerOf = async (err: ResponseError) => (await err.response.json().catch(() => null)) as KratosAnswer | null

const errorReason = (body: KratosAnswer | null): string | undefined => body?.error?.reason ?? body?.error?.message

/**
 * Runs one Kratos browser flow (login or registration) for a single-page app: fetch the flow as JSON,
 * submit the form's values, and on a 400 show the flow Kratos sends back with its messages.
 */
export function useKratosFlow(kind: FlowKind) {
  const { kratos, refresh } = useSession()
  const ui = shallowRef<UiContainer | null>(null)
  const problem = ref('')
  const busy = ref(false)
  let flowId = ''

  const show = (flow: Flow) => {
    flowId = flow.id
    ui.value = flow.ui
  }

  /** Starts a fresh flow; answers 'signed-in' when Kratos says a session exists already. */
  async function start(): Promise<'ready' | 'signed-in'> {
    try {
      show(kind === 'login' ? await kratos.createBrowserLoginFlow() : await kratos.createBrowserRegistrationFlow())
      return 'ready'
    } catch (err) {
      const body = err instanceof ResponseError ? await answerOf(err) : null
      if (body?.error?.id === 'session_already_available') return 'signed-in'
      problem.value = errorReason(body) ?? 'The sign-in service is not answering. Try again in a moment.'
      return 'ready'
    }
  }

  /** Submits the form; true once Kratos has signed the person in. */
  async function submit(values: Record<string, string>): Promise<boolean> {
    busy.value = true
    problem.value = ''
    try {
      const body = nestValues({ method: 'password', ...values }) as never
      if (kind === 'login') await kratos.updateLoginFlow({ flow: flowId, updateLoginFlowBody: body })
      else await kratos.updateRegistrationFlow({ flow: flowId, updateRegistrationFlowBody: body })
      await refresh()
      return true
    } catch (err) {
      if (!(err instanceof ResponseError)) {
        problem.value = 'The sign-in service could not be reached. Try again.'
        return false
      }
      const body = await answerOf(err)
      if (err.response.status === 400 && body?.ui) {
        show(body as Flow)
        return false
      }
      // Expired flows (410) and CSRF failures (403) need a new flow; keep the reason visible.
      problem.value = errorReason(body) ?? `Something went wrong (${err.response.status}). Please try again.`
      const reason = problem.value
      await start()
      problem.value = reason
      return false
    } finally {
      busy.value = false
    }
  }

  return { ui, problem, busy, start, submit }
}
