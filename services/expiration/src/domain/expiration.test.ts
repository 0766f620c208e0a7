import { describe, expect, it } from 'vitest'
import { applyOrderFact, markExpired, shouldExpire, type OrderFact } from './expiration'

const expiresAt = '2026-06-01T10:15:00.000Z'
const created: OrderFact = { status: 'created', version: 1, expiresAt }
const cancelled: OrderFact = { status: 'cancelled', version: 2 }
const completed: OrderFact = { status: 'complete', version: 2 }

describe('applying order events to the expiry record', () => {
  it('when an order is created, then it is recorded and its reminder scheduled at expiresAt', () => {
    expect(applyOrderFact(null, created)).toEqual({ record: { version: 1, status: 'created' }, effect: { kind: 'schedule', dueTime: expiresAt } })
  })

  it.each([
    ['cancelled', cancelled],
    ['completed', completed],
  ])('when a created order is %s, then the newer version is recorded and the reminder deleted', (_, fact) => {
    expect(applyOrderFact({ version: 1, status: 'created' }, fact)).toEqual({
      record: { version: 2, status: fact.status },
      effect: { kind: 'unschedule' },
    })
  })

  it('when the order is completed before its creation arrives, then the late creation schedules nothing', () => {
    const first = applyOrderFact(null, completed)
    expect(first.record).toEqual({ version: 2, status: 'complete' })
    expect(applyOrderFact(first.record!, created)).toEqual({ effect: { kind: 'none' } })
  })

  it('when order.created comes again, then nothing is written and the reminder is registered again (same due time)', () => {
    expect(applyOrderFact({ version: 1, status: 'created' }, created)).toEqual({ effect: { kind: 'schedule', dueTime: expiresAt } })
  })

  it('when order.created comes again after the order was cancelled, then nothing happens', () => {
    expect(applyOrderFact({ version: 2, status: 'cancelled' }, created)).toEqual({ effect: { kind: 'none' } })
  })

  it('when order.cancelled comes again, then nothing is written and the reminder is deleted again', () => {
    expect(applyOrderFact({ version: 2, status: 'cancelled' }, cancelled)).toEqual({ effect: { kind: 'unschedule' } })
  })

  it('when order.created comes again after the expiry was announced, then nothing happens', () => {
    expect(applyOrderFact({ version: 1, status: 'expired' }, created)).toEqual({ effect: { kind: 'none' } })
  })

  it('when the order is cancelled after its expiry was announced, then the cancellation is recorded', () => {
    expect(applyOrderFact({ version: 1, status: 'expired' }, cancelled).record).toEqual({ version: 2, status: 'cancelled' })
  })
})

describe('a firing reminder', () => {
  it.each([
    ['still created', { version: 1, status: 'created' } as const, true],
    ['cancelled', { version: 2, status: 'cancelled' } as const, false],
    ['complete', { version: 2, status: 'complete' } as const, false],
    ['already expired', { version: 1, status: 'expired' } as const, false],
    ['unknown', null, true],
  ])('when the order is %s, then announcing its expiry is %s', (_, record, expected) => {
    expect(shouldExpire(record)).toBe(expected)
  })

  it('when the expiry was announced, then the record keeps its version and says expired', () => {
    expect(markExpired({ version: 1, status: 'created' })).toEqual({ record: { version: 1, status: 'expired' }, effect: { kind: 'none' } })
  })

  it('when the order was settled meanwhile, then there is nothing to mark', () => {
    expect(markExpired({ version: 2, status: 'cancelled' })).toEqual({ effect: { kind: 'none' } })
    expect(markExpired(null)).toEqual({ effect: { kind: 'none' } })
  })
})
