import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A retry policy as Dapr's Resiliency spec defines one. A constant policy waits `initialIntervalMs` each
 * time; an exponential one starts there and grows by `multiplier` up to `maxIntervalMs`, each wait
 * jittered by ±`randomization`, and gives up once `maxElapsedMs` have passed since the first attempt.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; Infinity for no count. */
  maxRetries: number
  initialIntervalMs: number
  multiplier: number
  maxIntervalMs: number
  randomization: number
  maxElapsedMs: number
}

/** A constant policy: `maxRetries` retries, `intervalMs` apart. */
export const constantRetries = (intervalMs: number, maxRetries: number): RetryPolicy => ({
  maxRetries,
  initialIntervalMs: intervalMs,
  multiplier: 1,
  maxIntervalMs: intervalMs,
  randomization: 0,
  maxElapsedMs: Infinity,
})

/**
 * An exponential policy as daprd runs it: 500 ms first (the Resiliency spec has no field for it), × 1.5 with
 * ±50% jitter, and 15 minutes in all whatever maxRetries says (the back-off library's default cap).
 */
export const exponentialRetries = (maxIntervalMs: number, maxRetries: number): RetryPolicy => ({
  maxRetries,
  initialIntervalMs: 500,
  multiplier: 1.5,
  maxIntervalMs,
  randomization: 0.5,
  maxElapsedMs: 15 * 60_000,
})

/** No retries: one attempt, as daprd delivers when no Resiliency policy targets the component. */
export const noRetries: RetryPolicy = constantRetries(0, 0)

/**
 * The wait before the next attempt after `failedAttempts` failures, or undefined when the policy gives up.
 * `random` is in [0, 1); 0.5 gives the wait without jitter.
 */
export function nextDelayMs(policy: RetryPolicy, failedAttempts: number, elapsedMs: number, random = Math.random()): number | undefined {
  if (failedAttempts > policy.maxRetries) return undefined
  const interval = Math.min(policy.initialIntervalMs * policy.multiplier ** Math.max(0, failedAttempts - 1), policy.maxIntervalMs)
  const delay = Math.round(interval * (1 - policy.randomization + 2 * policy.randomization * random))
  // Like the back-off library daprd uses: no attempt is started past the cap.
  return elapsedMs + delay > policy.maxElapsedMs ? undefined : delay
}

/** Waits `ms`, resolving false instead of throwing when `signal` aborts first. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}
