import { describe, expect, it } from 'vitest'
import { canCancel, cancelForChangedTicket, createdEvent, placeOrder, sameTerms, settle, settledEvent } from './order'

const now = new Date('2026-06-01T10:00:00.000Z')
const later = new Date('2026-06-01T10:05:00.000Z')
const ticket = { id: 't1', title: 'Opera', price: 2500, userId: 'seller', version: 3 }
const order = placeOrder({ id: 'o1', userId: 'buyer', ticket }, 900, now)

describe('order rules', () => {
  it('when placed, then it is created, version 1, and expires after the window', () => {
    expect(order).toEqual({
      id: 'o1', userId: 'buyer', status: 'created', version: 1,
      expiresAt: '2026-06-01T10:15:00.000Z', createdAt: now.toISOString(), updatedAt: now.toISOString(),
      ticket: { id: 't1', title: 'Opera', price: 2500, sellerId: 'seller' },
    })
    expect(canCancel(order)).toBe(true)
  })

  it('when a created order is cancelled or completed, then it moves on in a new version', () => {
    expect(settle(order, 'cancelled', later)).toMatchObject({ status: 'cancelled', version: 2, updatedAt: later.toISOString() })
    expect(settle(order, 'complete', later)).toMatchObject({ status: 'complete', version: 2 })
  })

  it('when an order has settled, then it never moves again: complete is never cancelled, cancelled never paid', () => {
    const complete = settle(order, 'complete', later)!
    const cancelled = settle(order, 'cancelled', later)!
    expect(settle(complete, 'cancelled', later)).toBeNull()
    expect(settle(cancelled, 'complete', later)).toBeNull()
    expect(settle(cancelled, 'cancelled', later)).toBeNull()
    expect(canCancel(complete)).toBe(false)
  })

  it('when the ticket shows the title and price the order was placed at, then the terms are the same; another title or price, then not', () => {
    expect(sameTerms(order, { title: 'Opera', price: 2500 })).toBe(true)
    expect(sameTerms(order, { title: 'Opera', price: 2400 })).toBe(false)
    expect(sameTerms(order, { title: 'Opera, other night', price: 2500 })).toBe(false)
  })

  it('when the ticket changed before the order reached it, then a created order is cancelled with the reason, once; a complete one stands', () => {
    const cancelled = cancelForChangedTicket(order, later)
    expect(cancelled).toEqual({ ...order, status: 'cancelled', version: 2, updatedAt: later.toISOString(), cancellationReason: 'ticket-changed' })
    expect(cancelForChangedTicket(settle(order, 'complete', later)!, later)).toBeNull()
    expect(cancelForChangedTicket(cancelled!, later)).toBeNull()
    expect(cancelForChangedTicket(settle(order, 'cancelled', later)!, later)).toBeNull()
  })

  it('when shown as events, then they carry exactly the contract fields', () => {
    expect(createdEvent(order)).toEqual({ id: 'o1', userId: 'buyer', status: 'created', expiresAt: '2026-06-01T10:15:00.000Z', version: 1, ticket: { id: 't1', price: 2500 } })
    expect(settledEvent(settle(order, 'complete', later)!)).toEqual({ id: 'o1', userId: 'buyer', status: 'complete', version: 2, ticket: { id: 't1' } })
  })
})
