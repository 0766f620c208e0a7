import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { fromIntent } from './stripe.gateway'

const intent = (fields: Partial<Stripe.PaymentIntent>) =>
  ({ id: 'pi_1', object: 'payment_intent', client_secret: 'pi_1_secret_x', last_payment_error: null, ...fields }) as Stripe.PaymentIntent

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
    expect(fromIntent(intent({ status: 'canceled' }))).toEqual({ status: 'declined', code: 'canceled', message: 'The payment was not completed.' })
  })
})
