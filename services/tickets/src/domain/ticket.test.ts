import { describe, expect, it } from 'vitest'
import { applyOrder, edit, isReserved, newTicket, toEvent } from './ticket'

const now = new Date('2026-06-01T10:00:00.000Z')
const later = new Date('2026-06-01T10:05:00.000Z')
const base = newTicket({ id: 't1', userId: 'seller', title: 'Opera', description: '', price: 2500 }, now)

describe('ticket rules', () => {
  it('when listed, then it is version 1, free, with no holds', () => {
    expect(base).toEqual({
      id: 't1', userId: 'seller', title: 'Opera', description: '', price: 2500,
      version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString(), holds: [],
    })
    expect(isReserved(base)).toBe(false)
  })

  it('when edited, then the changes land in the next version', () => {
    expect(edit(base, { price: 3000 }, later)).toMatchObject({ price: 3000, title: 'Opera', version: 2, updatedAt: later.toISOString() })
  })

  it('when an order is created, then the ticket is reserved by it in a new version', () => {
    const reserved = applyOrder(base, { id: 'o1', version: 1, status: 'created' }, later)
    expect(reserved).toMatchObject({ orderId: 'o1', version: 2 })
  })

  it('when the same order event comes twice, then the second changes nothing', () => {
    const reserved = applyOrder(base, { id: 'o1', version: 1, status: 'created' }, later)!
    expect(applyOrder(reserved, { id: 'o1', version: 1, status: 'created' }, later)).toBeNull()
  })

  it('when the order is cancelled, then the ticket is released in a new version', () => {
    const reserved = applyOrder(base, { id: 'o1', version: 1, status: 'created' }, later)!
    const released = applyOrder(reserved, { id: 'o1', version: 2, status: 'cancelled' }, later)!
    expect(released.version).toBe(3)
    expect(released).not.toHaveProperty('orderId')
  })

  it('when the cancellation arrives before the creation, then the late creation is ignored', () => {
    const released = applyOrder(base, { id: 'o1', version: 2, status: 'cancelled' }, later)!
    expect(isReserved(released)).toBe(false)
    expect(applyOrder(released, { id: 'o1', version: 1, status: 'created' }, later)).toBeNull()
  })

  it("when an old order's cancellation arrives after a new order reserved it, then the new order keeps it", () => {
    const first = applyOrder(base, { id: 'o1', version: 1, status: 'created' }, later)!
    const second = applyOrder(first, { id: 'o2', version: 1, status: 'created' }, later)!
    const after = applyOrder(second, { id: 'o1', version: 2, status: 'cancelled' }, later)!
    expect(after.orderId).toBe('o2')
  })

  it('when shown as an event, then internal holds are left out and orderId only when reserved', () => {
    expect(toEvent(base)).toEqual({ id: 't1', userId: 'seller', title: 'Opera', description: '', price: 2500, version: 1 })
    const reserved = applyOrder(base, { id: 'o1', version: 1, status: 'created' }, later)!
    expect(toEvent(reserved).orderId).toBe('o1')
  })
})
