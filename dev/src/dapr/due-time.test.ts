import { describe, it, expect } from 'vitest'
import { InvalidScheduleError, parseDueTime, parseDuration, parsePeriod } from './due-time'

const now = new Date('2026-01-01T10:00:00.000Z')

describe('parseDueTime', () => {
  it('when given a Go duration, then it adds it to now', () => {
    expect(parseDueTime('15m', now).toISOString()).toBe('2026-01-01T10:15:00.000Z')
    expect(parseDueTime('2s', now).toISOString()).toBe('2026-01-01T10:00:02.000Z')
    expect(parseDueTime('1h30m', now).toISOString()).toBe('2026-01-01T11:30:00.000Z')
    expect(parseDueTime('500ms', now).toISOString()).toBe('2026-01-01T10:00:00.500Z')
    expect(parseDueTime('1.5h', now).toISOString()).toBe('2026-01-01T11:30:00.000Z')
    expect(parseDueTime('0', now).toISOString()).toBe('2026-01-01T10:00:00.000Z')
  })

  it('when given an ISO 8601 duration, then it adds it to now', () => {
    expect(parseDueTime('PT2S', now).toISOString()).toBe('2026-01-01T10:00:02.000Z')
    expect(parseDueTime('PT1H15M', now).toISOString()).toBe('2026-01-01T11:15:00.000Z')
    expect(parseDueTime('P1DT1H', now).toISOString()).toBe('2026-01-02T11:00:00.000Z')
    expect(parseDueTime('P1M', now).toISOString()).toBe('2026-02-01T10:00:00.000Z')
  })

  it('when given an RFC 3339 time, then it returns that instant', () => {
    expect(parseDueTime('2026-01-01T10:15:00Z', now).toISOString()).toBe('2026-01-01T10:15:00.000Z')
    expect(parseDueTime('2026-01-01T12:15:00+02:00', now).toISOString()).toBe('2026-01-01T10:15:00.000Z')
    expect(parseDueTime('2025-12-31T00:00:00.250Z', now).toISOString()).toBe('2025-12-31T00:00:00.250Z')
  })

  it('when the dueTime is empty, then it is due now', () => {
    expect(parseDueTime('', now).toISOString()).toBe(now.toISOString())
  })

  it('when the dueTime is malformed, then it throws an InvalidScheduleError naming the value', () => {
    for (const bad of ['soon', '15', '15 minutes', 'PT', '-5s', 'R2/PT1S', '2026-13-45T99:00:00Z']) {
      expect(() => parseDueTime(bad, now), bad).toThrow(InvalidScheduleError)
    }
    expect(() => parseDueTime('soon', now)).toThrow(/"soon"/)
  })
})

describe('parseDuration', () => {
  it('when given micro- and nanoseconds, then it returns fractional milliseconds', () => {
    expect(parseDuration('1500us')).toBe(1.5)
    expect(parseDuration('2000000ns')).toBe(2)
  })
})

describe('parsePeriod', () => {
  it('when the period is empty, then the reminder is one-shot', () => {
    expect(parsePeriod('', now)).toBeUndefined()
  })

  it('when the period is a duration, then it repeats forever at that interval', () => {
    expect(parsePeriod('1m', now)).toEqual({ intervalMs: 60_000 })
    expect(parsePeriod('PT10S', now)).toEqual({ intervalMs: 10_000 })
  })

  it('when the period has repetitions, then it carries their count', () => {
    expect(parsePeriod('R3/PT1S', now)).toEqual({ intervalMs: 1000, repetitions: 3 })
  })

  it('when the period is zero or malformed, then it throws', () => {
    expect(() => parsePeriod('0s', now)).toThrow(InvalidScheduleError)
    expect(() => parsePeriod('often', now)).toThrow(InvalidScheduleError)
  })
})
