import type { Identify, User } from '../platform/auth'
import { createLogger } from '../platform/logger'

/** A logger that writes nothing, for tests. */
export const silentLogger = () => createLogger({ name: 'test', level: 'silent' })

/**
 * Stands in for Kratos at the edge of a component test: a session token names a user.
 * @example const identify = tokenIdentify({ 'token-ann': { id: 'ann', email: 'ann@example.com' } })
 */
export function tokenIdentify(users: Record<string, User>): Identify {
  return async ({ sessionToken }) => (sessionToken ? users[sessionToken] ?? null : null)
}

/** Resolves when `check` passes, polling briefly; throws with the last value otherwise. */
export async function eventually<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000)
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20))
    }
  }
}
