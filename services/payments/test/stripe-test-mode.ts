import { Hono } from 'hono'
import { MAX_PRICE, MIN_PRICE } from '@ticketing/shared/contracts'
import { listen } from '@ticketing/shared/platform'

export type Recorded = { method: string; path: string; headers: Record<string, string>; form: URLSearchParams }

/** An HTTP server on a free loopback port; `handle` answers each request with a status and a JSON body. */
export async function serve(handle: (request: Recorded) => Promise<[number, unknown]> | [number, unknown]) {
  const app = new Hono().all('*', async (c) => {
    const url = new URL(c.req.url)
    const [status, json] = await handle({
      method: c.req.method, path: url.pathname + url.search, headers: c.req.header(), form: new URLSearchParams(await c.req.text()),
    })
    return new Response(JSON.stringify(json), { status, headers: { 'Content-Type': 'application/json', 'Request-Id': 'req_test' } })
  })
  return listen(app, { port: 0 })
}

type Intent = { id: string; status: string; amount: number; currency: string; refunded: boolean }

/**
 * What Stripe's test mode answers for its test payment methods, as documented (https://docs.stripe.com/testing and
 * https://docs.stripe.com/error-codes): intents keep their state, so a paid or canceled intent cannot be paid again.
 * `POST /v1/payment_intents/:id/cancel` cancels one, as Stripe does after too many failed confirmations.
 */
export function stripeTestMode(): (request: Recorded) => [number, unknown] {
  const intents = new Map<string, Intent>()
  let n = 0
  const body = (intent: Intent, extra: object = {}) => ({
    id: intent.id, object: 'payment_intent', status: intent.status, amount: intent.amount, currency: intent.currency,
    client_secret: `${intent.id}_secret_abc`, last_payment_error: null, metadata: {}, ...extra,
  })
  const error = (status: number, fields: object): [number, unknown] => [status, { error: { type: 'invalid_request_error', ...fields } }]
  const missing = (id: string) => error(404, { code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${id}'` })

  function confirm(intent: Intent, pm: string): [number, unknown] {
    if (intent.status === 'canceled') {
      return error(400, {
        code: 'payment_intent_unexpected_state', payment_intent: body(intent, { cancellation_reason: 'automatic' }),
        message: 'You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.',
      })
    }
    if (intent.status === 'succeeded') {
      return error(400, {
        code: 'payment_intent_unexpected_state', payment_intent: body(intent),
        message: 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
      })
    }
    const decline = (code: string, decline_code: string, message: string): [number, unknown] => {
      intent.status = 'requires_payment_method'
      return [402, { error: { type: 'card_error', code, decline_code, message, payment_intent: body(intent) } }]
    }
    if (pm === 'pm_card_visa' || pm === 'pm_card_mastercard') return (intent.status = 'succeeded', [200, body(intent)])
    if (pm === 'pm_card_authenticationRequired') return (intent.status = 'requires_action', [200, body(intent, { next_action: { type: 'use_stripe_sdk' } })])
    if (pm === 'pm_card_chargeDeclined') return decline('card_declined', 'generic_decline', 'Your card was declined.')
    if (pm === 'pm_card_visa_chargeDeclinedInsufficientFunds') return decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.')
    return error(400, { code: 'resource_missing', param: 'payment_method', message: `No such PaymentMethod: '${pm}'` })
  }

  // Stripe cancels an intent itself after too many failed confirmations; tests cancel it here to stand for that.
  function cancel(intent: Intent): [number, unknown] {
    if (intent.status === 'succeeded') {
      return error(400, { code: 'payment_intent_unexpected_state', message: 'You cannot cancel this PaymentIntent because it has a status of succeeded.' })
    }
    intent.status = 'canceled'
    return [200, body(intent, { cancellation_reason: 'automatic' })]
  }

  function refund(intent: Intent): [number, unknown] {
    if (intent.refunded) return error(400, { code: 'charge_already_refunded', message: `Charge ch_${intent.id} has already been refunded.` })
    if (intent.status !== 'succeeded') {
      return error(400, { code: 'payment_intent_unexpected_state', message: 'This PaymentIntent does not have a successful charge to refund.' })
    }
    intent.refunded = true
    return [200, { id: `re_${intent.id}`, object: 'refund', status: 'succeeded', payment_intent: intent.id, amount: intent.amount }]
  }

  return ({ path, form }) => {
    if (path === '/v1/payment_intents') {
      const [amount, currency] = [Number(form.get('amount')), form.get('currency')!]
      if (amount < MIN_PRICE) return error(400, { code: 'amount_too_small', param: 'amount', message: `Amount must be at least $0.50 ${currency}` })
      if (amount > MAX_PRICE) return error(400, { code: 'amount_too_large', param: 'amount', message: 'Amount must be no more than $999,999.99' })
      const intent = { id: `pi_3Test${++n}`, status: 'requires_payment_method', amount, currency, refunded: false }
      intents.set(intent.id, intent)
      return [200, body(intent)]
    }
    const confirming = path.match(/^\/v1\/payment_intents\/([^/]+)\/confirm$/)?.[1]
    if (confirming) return intents.has(confirming) ? confirm(intents.get(confirming)!, form.get('payment_method')!) : missing(confirming)
    const canceling = path.match(/^\/v1\/payment_intents\/([^/]+)\/cancel$/)?.[1]
    if (canceling) return intents.has(canceling) ? cancel(intents.get(canceling)!) : missing(canceling)
    const refunding = form.get('payment_intent')!
    return intents.has(refunding) ? refund(intents.get(refunding)!) : missing(refunding)
  }
}
