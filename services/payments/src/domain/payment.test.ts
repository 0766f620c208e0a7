import { describe, expect, it } from 'vitest'
import { idempotencyKeys, newPayment, toEvent } from './payment'

describe('payment rules', () => {
  it('when a payment is made, then it is version 1 and its event leaves the buyer out', () => {
    const payment = newPayment({ id: 'p1', orderId: 'o1', stripeId: 'pi_1', userId: 'ann' }, new Date('2026-06-01T10:00:00.000Z'))
    expect(payment).toEqual({ id: 'p1', orderId: 'o1', stripeId: 'pi_1', userId: 'ann', version: 1, createdAt: '2026-06-01T10:00:00.000Z' })
    expect(toEvent({ ...payment, refunded: true })).toEqual({ id: 'p1', orderId: 'o1', stripeId: 'pi_1', version: 1 })
  })

  it('when an order is paid, then its intent and refund keys depend on the order only', () => {
    expect(idempotencyKeys.intent('o1')).toBe('order-o1')
    expect(idempotencyKeys.refund('o1')).toBe('refund-o1')
    expect(idempotencyKeys.intent('o1')).not.toBe(idempotencyKeys.intent('o2'))
  })

  it('when the same intent is confirmed with the same card, then the key repeats; with another card or intent, then it differs', () => {
    const { confirm } = idempotencyKeys
    expect(confirm('o1', 'pi_1', 'pm_card_visa')).toBe(confirm('o1', 'pi_1', 'pm_card_visa'))
    expect(confirm('o1', 'pi_1', 'pm_card_visa')).not.toBe(confirm('o1', 'pi_1', 'pm_card_mastercard'))
    expect(confirm('o1', 'pi_1', 'pm_card_visa')).not.toBe(confirm('o1', 'pi_2', 'pm_card_visa'))
    expect(confirm('o1', 'pi_1', 'pm_card_visa')).not.toBe(confirm('o2', 'pi_1', 'pm_card_visa'))
    expect(confirm('o1', 'pi_1', 'pm_card_visa')).not.toBe(idempotencyKeys.intent('o1'))
  })

  it('when a canceled intent is replaced, then the new intent\'s key names the order and the canceled intent', () => {
    expect(idempotencyKeys.replacing('o1', 'pi_1')).toBe('order-o1-after-pi_1')
    expect(idempotencyKeys.replacing('o1', 'pi_1')).not.toBe(idempotencyKeys.replacing('o1', 'pi_2'))
  })
})
