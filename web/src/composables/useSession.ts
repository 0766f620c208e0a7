import { ResponseError, type FrontendApi } from '@ory/client-fetch'
import { inject, reactive, type InjectionKey } from 'vue'

export type SignedInPerson = { id: string; email: string }

export type SessionState = {
  person: SignedInPerson | null
  /** True once Kratos has been asked at least once. */
  known: boolean
}

export type Session = {
  state: SessionState
  kratos: FrontendApi
  // Function-typed properties rather than methods: none uses `this`, so pages may destructure them.
  /** Asks Kratos who is signed in (toSession). */
  refresh: () => Promise<SignedInPerson | null>
  /** Answers from memory after the first question. */
  ensure: () => Promise<SignedInPerson | null>
  signOut: () => Promise<void>
}

export const sessionKey: InjectionKey<Session> = Symbol('session')

/** One app's view of the Kratos session; created in main.ts and provided to every component. */
export function createSession(kratos: FrontendApi): Session {
  const state = reactive<SessionState>({ person: null, known: false })
  let pending: Promise<SignedInPerson | null> | undefined

  async function refresh() {
    try {
      const session = await kratos.toSession()
      const email = (session.identity?.traits as { email?: string } | undefined)?.email ?? ''
      state.person = session.identity ? { id: session.identity.id, email } : null
    } catch (err) {
      // 401 means nobody is signed in; anything else is treated the same, the pages then offer sign-in.
      if (!(err instanceof ResponseError)) console.warn('Kratos could not be reached', err)
      state.person = null
    }
    state.known = true
    return state.person
  }

  return {
    state,
    kratos,
    refresh: () => (pending = refresh()),
    ensure: () => (state.known ? Promise.resolve(state.person) : (pending ??= refresh())),
    async signOut() {
      const { logout_token: token } = await kratos.createBrowserLogoutFlow()
      await kratos.updateLogoutFlow({ token })
      state.person = null
    },
  }
}

/** The app's session (see createSession). */
export function useSession(): Session {
  const session = inject(sessionKey)
  if (!session) throw new Error('useSession() needs createSession() provided by the app')
  return session
}
