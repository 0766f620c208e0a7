import { describe, expect, it } from 'vitest'
import { orderCancelledExample, orderCompletedExample, orderCreatedExample } from '@ticketing/shared/contracts'
import { fieldsToSet, payability, replicaOf } from './order'

const created = replicaOf({ ...orderCreatedExample, id: 'o1', version: 1 })
const cancelled = replicaOf({ ...orderCancelledExample, id: 'o1', version: 2 })
const completed = replicaOf({ ...orderCompletedExample, id: 'o1', version: 2 })
const expiresAt = orderCreatedExample.expiresAt
const verdict = (...args: Parameters<typeof payability>) => payability(...args).verdict

describe('order replica rules', () => {
  it('when order.created is read, then the replica holds the buyer, status, version, the ticket price and the reservation end', () => {
    expect(created).toEqual({ id: 'o1', userId: 'usr_buyer', status: 'created', version: 1, price: 8900, expiresAt })
  })

  it('when an update is built, then undefined fields and the intent id are left out', () => {
    expect(fieldsToSet({ id: 'o1', userId: 'usr_buyer', status: 'cancelled', version: 2, price: undefined, expiresAt: undefined, intentId: 'pi_1' }))
      .toEqual({ id: 'o1', userId: 'usr_buyer', status: 'cancelled', version: 2 })
  })

  it('when judging payability, then cancelled wins over paid, paid over expired, and a payment or completion means paid', () => {
    const before = new Date('2026-06-01T10:14:59.999Z')
    expect(verdict(created, true, before)).toBe('paid')
    expect(verdict(completed, false, before)).toBe('paid')
    expect(verdict(cancelled, true, before)).toBe('cancelled')
  })

  it('when an order is payable, then it comes back as the created order, with its price', () => {
    expect(payability(created, false, new Date('2026-06-01T10:14:59.999Z'))).toEqual({ verdict: 'payable', order: { ...created, price: 8900 } })
  })

  it('when the reservation has ended, then the order is expired from its very end on', () => {
    expect(verdict(created, false, new Date(expiresAt))).toBe('expired')
    expect(verdict(created, true, new Date('2026-06-01T11:00:00.000Z'))).toBe('paid')
  })
})
