import { describe, expect, it } from 'vitest'
import { idempotencyKey, newPayment, toEvent } from './payment'

describe('payment rules', () => {
  it('when a payment is made, then it is version 1 and its event leaves the buyer out', () => {
    const payment = newPayment({ id: 'p1', orderId: 'o1', stripeId: 'pi_1', userId: 'ann' }, new Date('2026-06-01T10:00:00.000Z'))
    expect(payment).toEqual({ id: 'p1', orderId: 'o1', stripeId: 'pi_1', userId: 'ann', version: 1, createdAt: '2026-06-01T10:00:00.000Z' })
    expect(toEvent(payment)).toEqual({ id: 'p1', orderId: 'o1', stripeId: 'pi_1', version: 1 })
  })

  it('when the same order is paid with the same card, then the key repeats; with another card, then it differs', () => {
    expect(idempotencyKey('o1', 'pm_card_visa')).toBe(idempotencyKey('o1', 'pm_card_visa'))
    expect(idempotencyKey('o1', 'pm_card_visa')).not.toBe(idempotencyKey('o1', 'pm_card_mastercard'))
    expect(idempotencyKey('o1', 'pm_card_visa')).not.toBe(idempotencyKey('o2', 'pm_card_visa'))
  })
})
