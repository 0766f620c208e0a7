import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidResiliencyError, inboundRetries, inboundRetriesOf } from './resiliency'
import { constantRetries, exponentialRetries, nextDelayMs, noRetries, type RetryPolicy } from './retry-policy'

/** The instants (ms after the first) at which a message failing every time is delivered. */
function attemptTimes(policy: RetryPolicy, random: number): number[] {
  const times = [0]
  for (;;) {
    const delay = nextDelayMs(policy, times.length, times.at(-1)!, random)
    if (delay === undefined) return times
    times.push(times.at(-1)! + delay)
  }
}

const resiliency = (retries: string, target = 'pubsub') => `
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata: { name: test }
spec:
  policies:
    retries:
${retries}
  targets:
    components:
      ${target}:
        inbound: { retry: chosen }
`

describe('delivery retries as daprd runs a Resiliency policy', () => {
  it("when the project's Resiliency is read, then deliveries follow its exponential policy with no count", () => {
    const policy = inboundRetriesOf(resolve(import.meta.dirname, '../../../dapr/resiliency/resiliency.yaml'), 'pubsub')

    expect(policy).toEqual(exponentialRetries(60_000, Infinity))
  })

  it('when an exponential policy has no count, then it stops after 15 minutes: 25 attempts without jitter, 28 as seen within its jitter', () => {
    const policy = exponentialRetries(60_000, Infinity)

    const middle = attemptTimes(policy, 0.5)
    expect(middle.slice(0, 6)).toEqual([0, 500, 1250, 2375, 4063, 6594])
    expect(middle).toHaveLength(25)
    expect(middle.at(-1)).toBeLessThanOrEqual(900_000)
    expect(middle.slice(-2)).toEqual([788_747, 848_747])
    // Real daprd made 28 attempts in one run; the jitter (±50%) allows that count and no wild one.
    expect(attemptTimes(policy, 0.999).length).toBeLessThan(28)
    expect(attemptTimes(policy, 0).length).toBeGreaterThan(28)
  })

  it('when an exponential policy has a count, then it stops at the count first', () => {
    expect(attemptTimes(exponentialRetries(1_000, 3), 0.5)).toEqual([0, 500, 1250, 2250])
  })

  it('when a constant policy is read, then it waits its duration between attempts, maxRetries times', () => {
    const policy = inboundRetries(resiliency('      chosen: { policy: constant, duration: 300ms, maxRetries: 3 }'), 'pubsub')

    expect(policy).toEqual(constantRetries(300, 3))
    expect(attemptTimes(policy, 0.3)).toEqual([0, 300, 600, 900])
  })

  it('when no policy targets the pub/sub, then a delivery is tried once', () => {
    const policy = inboundRetries(resiliency('      chosen: { policy: constant, duration: 1s }', 'other'), 'pubsub')

    expect(policy).toBe(noRetries)
    expect(attemptTimes(policy, 0.5)).toEqual([0])
  })

  it('when the target names a policy that is not defined, or a duration is not one, then reading fails and says where', () => {
    expect(() => inboundRetries(resiliency('      other: { policy: constant }'), 'pubsub')).toThrow(InvalidResiliencyError)
    expect(() => inboundRetries(resiliency('      chosen: { policy: constant, duration: soon }'), 'pubsub')).toThrow(
      /spec\.policies\.retries\.chosen\.duration/,
    )
  })
})
