import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, retryWhile } from './http'

const notYet = () => new ApiError(404, 'ticket-not-found', 'Ticket not found')

/** A call that fails with `failures` in turn, then answers 'ok'; counts its calls. */
function flaky(failures: Error[]) {
  const call = async () => {
    call.calls++
    const failure = failures.shift()
    if (failure) throw failure
    return 'ok'
  }
  call.calls = 0
  return call
}

// The pauses between attempts run on fake timers, so the tests do not wait.
async function settle<T>(promise: Promise<T>): Promise<T> {
  const outcome = promise.then((value) => ({ value }), (error: unknown) => ({ error }))
  await vi.runAllTimersAsync()
  const result = await outcome
  if ('error' in result) throw result.error
  return result.value
}

describe('retryWhile', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('when the API answers a listed code twice, then the third call\'s answer is returned', async () => {
    vi.useFakeTimers()
    const call = flaky([notYet(), notYet()])

    const answer = await settle(retryWhile(['ticket-not-found'], call))

    expect(answer).toBe('ok')
    expect(call.calls).toBe(3)
  })

  it('when the API answers another code, then it is thrown at once', async () => {
    vi.useFakeTimers()
    const call = flaky([new ApiError(409, 'ticket-reserved', 'Reserved')])

    await expect(settle(retryWhile(['ticket-not-found'], call))).rejects.toMatchObject({ code: 'ticket-reserved' })
    expect(call.calls).toBe(1)
  })

  it('when the listed code never goes away, then the last answer is thrown after a few attempts', async () => {
    vi.useFakeTimers()
    const call = flaky(Array.from({ length: 10 }, notYet))

    await expect(settle(retryWhile(['ticket-not-found'], call))).rejects.toMatchObject({ code: 'ticket-not-found' })
    expect(call.calls).toBe(5)
  })
})
