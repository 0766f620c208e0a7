import { describe, expect, it } from 'vitest'
import { orderCancelledExample, orderCompletedExample, orderCreatedExample } from '@ticketing/shared/contracts'
import { applyReplica, payability, replicaOf } from './order'

const created = replicaOf({ ...orderCreatedExample, id: 'o1', version: 1 })
const cancelled = replicaOf({ ...orderCancelledExample, id: 'o1', version: 2 })
const completed = replicaOf({ ...orderCompletedExample, id: 'o1', version: 2 })

describe('order replica rules', () => {
  it('when order.created is read, then the replica holds the buyer, status, version and the ticket price', () => {
    expect(created).toEqual({ id: 'o1', userId: 'usr_buyer', status: 'created', version: 1, price: 8900 })
  })

  it('when a later event carries no price, then the price already held is kept', () => {
    expect(applyReplica(created, cancelled)).toEqual({ id: 'o1', userId: 'usr_buyer', status: 'cancelled', version: 2, price: 8900 })
  })

  it('when an event is not newer than the replica, then nothing applies', () => {
    expect(applyReplica(created, created)).toBeNull()
    expect(applyReplica(cancelled, created)).toBeNull()
  })

  it('when the first event seen is the cancellation, then the replica starts cancelled and unpriced', () => {
    expect(applyReplica(null, cancelled)).toEqual({ id: 'o1', userId: 'usr_buyer', status: 'cancelled', version: 2 })
  })

  it('when judging payability, then cancelled wins over paid, and a payment or completion means paid', () => {
    expect(payability(created, false)).toBe('payable')
    expect(payability(created, true)).toBe('paid')
    expect(payability(completed, false)).toBe('paid')
    expect(payability(cancelled, true)).toBe('cancelled')
  })
})
