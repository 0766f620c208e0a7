import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { NewIntent, PaymentGateway } from '../src/gateway/payment-gateway'
import { createSimulatedGateway, type SimulatedGateway } from '../src/gateway/simulated.gateway'
import { createStripeGateway } from '../src/gateway/stripe.gateway'
import { serve, stripeTestMode, type Recorded } from './stripe-test-mode'

const newIntent = (fields: Partial<NewIntent> = {}): NewIntent => ({
  amount: 4200, currency: 'usd', metadata: { orderId: 'o1', userId: 'ann' }, idempotencyKey: `order-${crypto.randomUUID()}`, ...fields,
})
const key = () => crypto.randomUUID()
// vitest types its asymmetric matchers `any`; as `unknown` one can stand for a field of an expected result.
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern)

/**
 * The outcomes both gateways give for Stripe's test payment methods, on the order's one intent.
 * `cancel` cancels an intent as Stripe does after too many failed confirmations.
 */
function gatewayContract<G extends PaymentGateway>(name: string, gateway: () => G, cancel: (g: G, intentId: string) => Promise<unknown>) {
  describe(`${name}: Stripe's test payment methods`, () => {
    let g: G
    const open = async (fields: Partial<NewIntent> = {}) => {
      g = gateway()
      const created = await g.createIntent(newIntent(fields))
      if (created.status !== 'created') throw new Error(`intent not created: ${JSON.stringify(created)}`)
      return created.id
    }
    const confirm = (intentId: string, paymentMethod: string) => g.confirm({ intentId, paymentMethod, idempotencyKey: key() })

    it.each(['pm_card_visa', 'pm_card_mastercard'])('when the intent is confirmed with %s, then it succeeded with the intent id', async (pm) => {
      const id = await open()
      expect(id).toMatch(/^pi_/)
      expect(await confirm(id, pm)).toEqual({ status: 'succeeded', id })
    })

    it.each([
      ['pm_card_chargeDeclined', 'Your card was declined.'],
      ['pm_card_visa_chargeDeclinedInsufficientFunds', 'Your card has insufficient funds.'],
    ])("when %s is declined, then Stripe's message is given and the same intent can be paid with another card", async (pm, message) => {
      const id = await open()
      expect(await confirm(id, pm)).toEqual({ status: 'declined', code: 'card_declined', message })
      expect(await confirm(id, 'pm_card_visa')).toEqual({ status: 'succeeded', id })
    })

    it('when the card needs authentication, then the intent waits with a client secret of its own', async () => {
      const id = await open()
      const result = await confirm(id, 'pm_card_authenticationRequired')
      expect(result).toEqual({ status: 'requires_action', id, clientSecret: matching(new RegExp(`^${id}_secret_`)) })
    })

    it('when the payment method does not exist, then the request is refused on payment_method and the intent stays payable', async () => {
      const id = await open()
      expect(await confirm(id, 'pm_card_nope')).toEqual({
        status: 'rejected', code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_card_nope'",
      })
      expect(await confirm(id, 'pm_card_visa')).toMatchObject({ status: 'succeeded' })
    })

    it('when a paid intent is confirmed with another card, then it reads as succeeded already and is not paid again', async () => {
      const id = await open()
      await confirm(id, 'pm_card_visa')
      expect(await confirm(id, 'pm_card_mastercard')).toEqual({ status: 'succeeded', id, alreadySucceeded: true })
    })

    it('when the amount is under 50, then the intent is refused as too small', async () => {
      g = gateway()
      expect(await g.createIntent(newIntent({ amount: 49 }))).toEqual({
        status: 'rejected', code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd',
      })
    })

    it('when the amount is over eight digits, then the intent is refused as too large; eight digits are accepted', async () => {
      g = gateway()
      expect(await g.createIntent(newIntent({ amount: 100_000_000 }))).toEqual({
        status: 'rejected', code: 'amount_too_large', param: 'amount', message: 'Amount must be no more than $999,999.99',
      })
      expect(await g.createIntent(newIntent({ amount: 99_999_999 }))).toMatchObject({ status: 'created' })
    })

    it('when the intent was canceled, then confirming it with any card reads as canceled with its id', async () => {
      const id = await open()
      await confirm(id, 'pm_card_chargeDeclined')
      await cancel(g, id)
      expect(await confirm(id, 'pm_card_visa')).toEqual({ status: 'canceled', id })
      expect(await confirm(id, 'pm_card_chargeDeclined')).toEqual({ status: 'canceled', id })
    })

    it('when a paid intent is refunded, then refunded with the refund id, and asking again is refunded too', async () => {
      const id = await open()
      await confirm(id, 'pm_card_visa')
      expect(await g.refund({ intentId: id, idempotencyKey: key() })).toEqual({ status: 'refunded', id: matching(/^re_/) })
      expect(await g.refund({ intentId: id, idempotencyKey: key() })).toMatchObject({ status: 'refunded' })
    })

    it('when an unpaid intent is refunded, then it is refused', async () => {
      const id = await open()
      expect(await g.refund({ intentId: id, idempotencyKey: key() })).toMatchObject({ status: 'rejected', code: 'payment_intent_unexpected_state' })
    })

    it('when the intent does not exist, then confirming is refused', async () => {
      g = gateway()
      expect(await confirm('pi_nope', 'pm_card_visa')).toMatchObject({ status: 'rejected', code: 'resource_missing', message: "No such payment_intent: 'pi_nope'" })
    })
  })
}

describe('Stripe adapter against a server answering as Stripe test mode does', () => {
  let fake: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    fake = await serve(stripeTestMode())
  })
  afterAll(() => fake.close())
  gatewayContract(
    'Stripe adapter',
    () => createStripeGateway({ secretKey: 'sk_test_x', host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 }),
    (_g, intentId) => fetch(`http://127.0.0.1:${fake.port}/v1/payment_intents/${intentId}/cancel`, { method: 'POST' }),
  )
})

describe('simulated gateway', () => {
  gatewayContract('simulated gateway', createSimulatedGateway, async (g: SimulatedGateway, intentId) => g.cancelIntent(intentId))

  it('when the same key is sent again, then the first answer is replayed, a decline included', async () => {
    const gateway = createSimulatedGateway()
    const request = newIntent()
    const first = await gateway.createIntent(request)
    expect(await gateway.createIntent(request)).toEqual(first)
    const intentId = first.status === 'created' ? first.id : ''
    const declined = await gateway.confirm({ intentId, paymentMethod: 'pm_card_chargeDeclined', idempotencyKey: 'k-declined' })
    await gateway.confirm({ intentId, paymentMethod: 'pm_card_visa', idempotencyKey: 'k-visa' })
    expect(await gateway.confirm({ intentId, paymentMethod: 'pm_card_chargeDeclined', idempotencyKey: 'k-declined' })).toEqual(declined)
  })

  it('when a key is reused for a different request, then it is refused as Stripe refuses it', async () => {
    const gateway = createSimulatedGateway()
    await gateway.createIntent(newIntent({ idempotencyKey: 'key-1' }))
    expect(await gateway.createIntent(newIntent({ idempotencyKey: 'key-1', amount: 100 }))).toMatchObject({ status: 'rejected', code: 'idempotency_error' })
  })

  it('when the buyer finishes authentication after another card paid, then the intent is paid once', async () => {
    const gateway = createSimulatedGateway()
    const created = await gateway.createIntent(newIntent())
    const intentId = created.status === 'created' ? created.id : ''
    await gateway.confirm({ intentId, paymentMethod: 'pm_card_authenticationRequired', idempotencyKey: key() })
    expect(await gateway.confirm({ intentId, paymentMethod: 'pm_card_visa', idempotencyKey: key() })).toEqual({ status: 'succeeded', id: intentId })
    expect(gateway.authenticate(intentId)).toBe('succeeded')
    expect(await gateway.confirm({ intentId, paymentMethod: 'pm_card_visa', idempotencyKey: key() })).toMatchObject({ alreadySucceeded: true })
  })

  it('when the currency is another, then the minimum and maximum are worded in it', async () => {
    expect(await createSimulatedGateway().createIntent(newIntent({ amount: 1, currency: 'eur' })))
      .toMatchObject({ code: 'amount_too_small', message: 'Amount must be at least €0.50 eur' })
    expect(await createSimulatedGateway().createIntent(newIntent({ amount: 100_000_000, currency: 'eur' })))
      .toMatchObject({ code: 'amount_too_large', message: 'Amount must be no more than €999,999.99' })
  })

  it('when a paid or unknown intent is canceled, then the paid one stays paid and the unknown one is undefined', async () => {
    const gateway = createSimulatedGateway()
    const created = await gateway.createIntent(newIntent())
    const intentId = created.status === 'created' ? created.id : ''
    await gateway.confirm({ intentId, paymentMethod: 'pm_card_visa', idempotencyKey: key() })
    expect(gateway.cancelIntent(intentId)).toBe('succeeded')
    expect(gateway.cancelIntent('pi_nope')).toBeUndefined()
  })
})

const stripeMockUrl = inject('stripeMockUrl')

describe.runIf(process.env.CI)('in CI', () => {
  it('when the adapter tier runs, then stripe-mock is there', () => {
    expect(stripeMockUrl, 'test/setup/stripe-mock.ts must be a globalSetup of the adapter project').toBeTruthy()
  })
})

describe.skipIf(!stripeMockUrl)('Stripe adapter against stripe-mock', () => {
  let proxy: Awaited<ReturnType<typeof serve>>
  const seen: Array<Recorded & { status: number }> = []
  beforeAll(async () => {
    // Records what the adapter sends, then lets stripe-mock (which checks it against Stripe's OpenAPI spec) answer.
    proxy = await serve(async (request) => {
      const res = await fetch(new URL(request.path, stripeMockUrl), {
        method: request.method,
        headers: { authorization: String(request.headers.authorization), 'content-type': 'application/x-www-form-urlencoded' },
        body: request.form.toString(),
      })
      seen.push({ ...request, status: res.status })
      return [res.status, await res.json()]
    })
  })
  afterAll(() => proxy.close())
  const gateway = () => createStripeGateway({ secretKey: 'sk_test_123', host: '127.0.0.1', port: proxy.port, protocol: 'http', maxNetworkRetries: 0 })

  it('when an intent is created, then it is unconfirmed, with the amount, metadata and key, and the spec accepts it', async () => {
    expect(await gateway().createIntent(newIntent({ idempotencyKey: 'order-o1' }))).toEqual({ status: 'created', id: matching(/^pi_/) })
    const [request] = seen.splice(0)
    expect(request).toMatchObject({ method: 'POST', path: '/v1/payment_intents', status: 200 })
    expect(request!.headers['idempotency-key']).toBe('order-o1')
    expect(Object.fromEntries(request!.form)).toEqual({
      amount: '4200', currency: 'usd',
      'automatic_payment_methods[enabled]': 'true', 'automatic_payment_methods[allow_redirects]': 'never',
      'metadata[orderId]': 'o1', 'metadata[userId]': 'ann',
    })
  })

  it('when an intent is confirmed, then the card goes to its confirm endpoint with the key, and the spec accepts it', async () => {
    await gateway().confirm({ intentId: 'pi_123', paymentMethod: 'pm_card_visa', idempotencyKey: 'order-o1-pm-pm_card_visa' })
    const [request] = seen.splice(0)
    expect(request).toMatchObject({ method: 'POST', path: '/v1/payment_intents/pi_123/confirm', status: 200 })
    expect(request!.headers['idempotency-key']).toBe('order-o1-pm-pm_card_visa')
    expect(Object.fromEntries(request!.form)).toEqual({ payment_method: 'pm_card_visa' })
  })

  it("when stripe-mock answers with its canned intent (status requires_payment_method), then the adapter reads it as a failed attempt", async () => {
    // stripe-mock is stateless: every confirmed intent is its fixture, whatever was asked.
    expect(await gateway().confirm({ intentId: 'pi_123', paymentMethod: 'pm_card_visa', idempotencyKey: key() })).toEqual({
      status: 'declined', code: 'requires_payment_method', message: 'The payment was not completed.',
    })
    seen.splice(0)
  })

  it('when an intent is refunded, then one refund of the intent is asked for with the key, and the spec accepts it', async () => {
    expect(await gateway().refund({ intentId: 'pi_123', idempotencyKey: 'refund-o1' })).toEqual({ status: 'refunded', id: matching(/^re_/) })
    const [request] = seen.splice(0)
    expect(request).toMatchObject({ method: 'POST', path: '/v1/refunds', status: 200 })
    expect(request!.headers['idempotency-key']).toBe('refund-o1')
    expect(Object.fromEntries(request!.form)).toEqual({ payment_intent: 'pi_123' })
  })

  it('when Stripe cannot be reached, then 503 payment-gateway-unavailable', async () => {
    const closed = await serve(() => [200, {}])
    await closed.close()
    const unreachable = createStripeGateway({ secretKey: 'sk_test_123', host: '127.0.0.1', port: closed.port, protocol: 'http', maxNetworkRetries: 0 })
    await expect(unreachable.confirm({ intentId: 'pi_1', paymentMethod: 'pm_card_visa', idempotencyKey: key() }))
      .rejects.toMatchObject({ status: 503, code: 'payment-gateway-unavailable' })
    await expect(unreachable.createIntent(newIntent())).rejects.toMatchObject({ status: 503 })
    await expect(unreachable.refund({ intentId: 'pi_1', idempotencyKey: key() })).rejects.toMatchObject({ status: 503 })
  })
})
