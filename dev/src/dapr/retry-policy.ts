import { setTimeout as sleep } from 'node:timers/promises'

/** Bounded exponential back-off shared by message deliveries and reminder firings. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number
  initialBackoffMs: number
  maxBackoffMs: number
}

/** Delay before the attempt after `failedAttempts` failures: initial × 2^(n−1), capped. */
export function backoffMs(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.initialBackoffMs * 2 ** Math.max(0, failedAttempts - 1), policy.maxBackoffMs)
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
