import { describe, expect, it } from 'vitest'
import { eventId } from './outbox'

describe('eventId', () => {
  it('when the same fact is published twice, then it has the same id', () => {
    expect(eventId('ticket.updated', { id: 't1', version: 3 })).toBe('ticket.updated/t1/3')
    expect(eventId('ticket.updated', { id: 't1', version: 3 })).toBe(eventId('ticket.updated', { id: 't1', version: 3 }))
  })

  it('when the event has no version, then the aggregate id alone names it', () => {
    expect(eventId('expiration.completed', { orderId: 'o1' })).toBe('expiration.completed/o1')
  })
})
