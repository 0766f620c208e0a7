import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit'

describe('createRateLimiter', () => {
  it('when a client spends its burst, then it waits until one request has refilled', () => {
    let now = 0
    const limiter = createRateLimiter({ perMinute: 6, now: () => now })

    const burst = Array.from({ length: 7 }, () => limiter.take('a'))
    now = 9_000
    const early = limiter.take('a')
    now = 10_000
    const refilled = limiter.take('a')

    expect(burst).toEqual([0, 0, 0, 0, 0, 0, 10])
    expect(early).toBe(1)
    expect(refilled).toBe(0)
  })

  it('when a client is idle for long, then its allowance refills to the burst and no further', () => {
    let now = 0
    const limiter = createRateLimiter({ perMinute: 2, now: () => now })
    limiter.take('a')
    limiter.take('a')

    now = 60 * 60_000
    const afterAnHour = [limiter.take('a'), limiter.take('a'), limiter.take('a')]

    expect(afterAnHour).toEqual([0, 0, 30])
  })

  it('when clients are counted apart, then one client\'s spending leaves the others\' allowance alone', () => {
    const limiter = createRateLimiter({ perMinute: 1, now: () => 0 })

    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([0, 60, 0])
  })

  it('when more clients come than it remembers, then memory stays bounded and the least recently seen is forgotten', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxClients: 3, now: () => 0 })
    for (const client of ['a', 'b', 'c']) limiter.take(client)
    limiter.take('a')

    for (let i = 0; i < 1000; i++) limiter.take(`flood-${i}`)
    const aAgain = limiter.take('a')

    expect(limiter.size()).toBe(3)
    expect(aAgain).toBe(0)
  })

  it('when the least recently seen client is forgotten, then the ones seen since keep their count', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxClients: 2, now: () => 0 })
    limiter.take('a')
    limiter.take('b')
    limiter.take('a')

    limiter.take('c')

    expect([limiter.take('a'), limiter.take('b')]).toEqual([60, 0])
  })
})
