import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { fromConfirmError, fromIntent, fromRefund, fromRefundError } from './stripe-outcomes'

const intent = (fields: Partial<Stripe.PaymentIntent>) =>
  ({ id: 'pi_1', object: 'payment_intent', client_secret: 'pi_1_secret_x', last_payment_error: null, ...fields }) as Stripe.PaymentIntent
const invalid = (code: string, fields: object = {}) =>
  new Stripe.errors.StripeInvalidRequestError({ type: 'invalid_request_error', code, message: `refused: ${code}`, ...fields })

describe('PaymentIntent outcomes', () => {
  it('when the intent succeeded, then the charge succeeded with its id', () => {
    expect(fromIntent(intent({ status: 'succeeded' }))).toEqual({ status: 'succeeded', id: 'pi_1' })
  })

  it('when the intent waits for the buyer or the bank, then the client secret is handed on', () => {
    expect(fromIntent(intent({ status: 'requires_action' }))).toEqual({ status: 'requires_action', id: 'pi_1', clientSecret: 'pi_1_secret_x' })
    expect(fromIntent(intent({ status: 'processing' }))).toEqual({ status: 'processing', id: 'pi_1', clientSecret: 'pi_1_secret_x' })
  })

  it('when the confirmed intent is back at requires_payment_method, then it is a decline with Stripe\'s message', () => {
    const failed = intent({ status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } })
    expect(fromIntent(failed)).toEqual({ status: 'declined', code: 'card_declined', message: 'Your card was declined.' })
  })

  it('when the confirmed intent comes back canceled, then it is canceled, not a decline', () => {
    expect(fromIntent(intent({ status: 'canceled' }))).toEqual({ status: 'canceled', id: 'pi_1' })
  })

  it('when confirming an intent that was paid before, then it reads as succeeded already', () => {
    const paid = invalid('payment_intent_unexpected_state', { payment_intent: intent({ status: 'succeeded' }) })
    expect(fromConfirmError(paid)).toEqual({ status: 'succeeded', id: 'pi_1', alreadySucceeded: true })
    const busy = invalid('payment_intent_unexpected_state', { payment_intent: intent({ status: 'processing' }) })
    expect(fromConfirmError(busy)).toMatchObject({ status: 'processing', id: 'pi_1' })
  })

  it('when confirming an intent Stripe canceled, then it reads as canceled with its id; a decline that canceled it stays a decline', () => {
    const canceled = invalid('payment_intent_unexpected_state', { payment_intent: intent({ status: 'canceled' }) })
    expect(fromConfirmError(canceled)).toEqual({ status: 'canceled', id: 'pi_1' })
    const declined = new Stripe.errors.StripeCardError({
      type: 'card_error', code: 'card_declined', message: 'Your card was declined.', payment_intent: intent({ status: 'canceled' }),
    })
    expect(fromConfirmError(declined)).toEqual({ status: 'declined', code: 'card_declined', message: 'Your card was declined.' })
    const elsewise = invalid('payment_intent_unexpected_state', { payment_intent: intent({ status: 'requires_capture' }) })
    expect(fromConfirmError(elsewise)).toMatchObject({ status: 'rejected', code: 'payment_intent_unexpected_state' })
  })

  it('when Stripe cannot be reached, then 503', () => {
    expect(() => fromConfirmError(new Stripe.errors.StripeConnectionError({ message: 'ECONNREFUSED' }))).toThrow(
      expect.objectContaining({ status: 503, code: 'payment-gateway-unavailable' }),
    )
  })
})

describe('refund outcomes', () => {
  it('when the refund is made or pending, then refunded with its id; when it failed, then rejected', () => {
    expect(fromRefund({ id: 're_1', status: 'succeeded' } as Stripe.Refund)).toEqual({ status: 'refunded', id: 're_1' })
    expect(fromRefund({ id: 're_1', status: 'pending' } as Stripe.Refund)).toEqual({ status: 'refunded', id: 're_1' })
    expect(fromRefund({ id: 're_1', status: 'failed', failure_reason: 'expired_or_canceled_card' } as Stripe.Refund))
      .toEqual({ status: 'rejected', code: 'refund_failed', message: 'expired_or_canceled_card' })
  })

  it('when the intent was refunded already, then it counts as refunded', () => {
    expect(fromRefundError(invalid('charge_already_refunded'))).toEqual({ status: 'refunded' })
    expect(fromRefundError(invalid('resource_missing', { param: 'payment_intent' }))).toMatchObject({ status: 'rejected', param: 'payment_intent' })
  })
})
