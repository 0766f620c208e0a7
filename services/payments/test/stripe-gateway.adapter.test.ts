import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { PaymentGateway } from '../src/gateway/payment-gateway'
import { createSimulatedGateway } from '../src/gateway/simulated.gateway'
import { createStripeGateway } from '../src/gateway/stripe.gateway'

type Recorded = { method: string; path: string; headers: IncomingHttpHeaders; form: URLSearchParams }

/** An HTTP server on a free loopback port; `handle` answers each request with a status and a JSON body. */
async function serve(handle: (request: Recorded) => Promise<[number, unknown]> | [number, unknown]) {
  const server: Server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const [status, json] = await handle({ method: req.method!, path: req.url!, headers: req.headers, form: new URLSearchParams(body) })
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': 'req_test' }).end(JSON.stringify(json))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  return { port, close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))) }
}

const charge = (paymentMethod: string, idempotencyKey = `order-o1-pm-${paymentMethod}`) => ({
  amount: 4200, currency: 'usd', paymentMethod, idempotencyKey, metadata: { orderId: 'o1', userId: 'ann' },
})

/**
 * What Stripe's test mode answers for its test payment methods, as documented (https://docs.stripe.com/testing):
 * the fake Stripe below serves these bodies, and the simulator must agree with them.
 */
function stripeTestMode({ form }: Recorded): [number, unknown] {
  const pm = form.get('payment_method')!
  const intent = (status: string) => ({
    id: 'pi_3Test', object: 'payment_intent', status, amount: Number(form.get('amount')), currency: form.get('currency'),
    client_secret: 'pi_3Test_secret_abc', last_payment_error: null, metadata: {},
  })
  const decline = (code: string, decline_code: string, message: string): [number, unknown] =>
    [402, { error: { type: 'card_error', code, decline_code, message, payment_intent: intent('requires_payment_method') } }]
  if (pm === 'pm_card_visa' || pm === 'pm_card_mastercard') return [200, intent('succeeded')]
  if (pm === 'pm_card_authenticationRequired') return [200, { ...intent('requires_action'), next_action: { type: 'use_stripe_sdk' } }]
  if (pm === 'pm_card_chargeDeclined') return decline('card_declined', 'generic_decline', 'Your card was declined.')
  if (pm === 'pm_card_visa_chargeDeclinedInsufficientFunds') return decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.')
  return [400, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: `No such PaymentMethod: '${pm}'` } }]
}

/** The outcomes both gateways give for Stripe's test payment methods. */
function gatewayContract(name: string, gateway: () => PaymentGateway) {
  describe(`${name}: Stripe's test payment methods`, () => {
    it.each(['pm_card_visa', 'pm_card_mastercard'])('when charging %s, then it succeeded with a PaymentIntent id', async (pm) => {
      expect(await gateway().charge(charge(pm))).toEqual({ status: 'succeeded', id: expect.stringMatching(/^pi_/) })
    })

    it.each([
      ['pm_card_chargeDeclined', 'Your card was declined.'],
      ['pm_card_visa_chargeDeclinedInsufficientFunds', 'Your card has insufficient funds.'],
    ])('when charging %s, then it is declined with Stripe\'s message', async (pm, message) => {
      expect(await gateway().charge(charge(pm))).toEqual({ status: 'declined', code: 'card_declined', message })
    })

    it('when the card needs authentication, then the intent waits with a client secret of its own', async () => {
      const result = await gateway().charge(charge('pm_card_authenticationRequired'))
      expect(result).toEqual({ status: 'requires_action', id: expect.stringMatching(/^pi_/), clientSecret: expect.any(String) })
      if (result.status === 'requires_action') expect(result.clientSecret.startsWith(`${result.id}_secret_`)).toBe(true)
    })

    it('when the payment method does not exist, then the request is refused on payment_method', async () => {
      expect(await gateway().charge(charge('pm_card_nope'))).toEqual({
        status: 'rejected', code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_card_nope'",
      })
    })
  })
}

describe('Stripe adapter against a server answering as Stripe test mode does', () => {
  let fake: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    fake = await serve(stripeTestMode)
  })
  afterAll(() => fake.close())
  gatewayContract('Stripe adapter', () => createStripeGateway({ secretKey: 'sk_test_x', host: '127.0.0.1', port: fake.port, protocol: 'http' }))
})

describe('simulated gateway', () => {
  gatewayContract('simulated gateway', createSimulatedGateway)

  it('when the same key is charged again, then the first answer is replayed, a decline included', async () => {
    const gateway = createSimulatedGateway()
    const first = await gateway.charge(charge('pm_card_visa'))
    expect(await gateway.charge(charge('pm_card_visa'))).toEqual(first)
    const declined = await gateway.charge(charge('pm_card_chargeDeclined'))
    expect(await gateway.charge(charge('pm_card_chargeDeclined'))).toEqual(declined)
  })

  it('when a key is reused for a different charge, then it is refused as Stripe refuses it', async () => {
    const gateway = createSimulatedGateway()
    await gateway.charge(charge('pm_card_visa', 'key-1'))
    expect(await gateway.charge({ ...charge('pm_card_visa', 'key-1'), amount: 1 })).toMatchObject({ status: 'rejected', code: 'idempotency_error' })
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

  it('when charging, then one confirmed PaymentIntent is created with the amount, card, metadata and idempotency key, and the spec accepts it', async () => {
    await gateway().charge(charge('pm_card_visa'))
    const [request] = seen.splice(0)
    expect(request).toMatchObject({ method: 'POST', path: '/v1/payment_intents', status: 200 })
    expect(request!.headers['idempotency-key']).toBe('order-o1-pm-pm_card_visa')
    expect(Object.fromEntries(request!.form)).toEqual({
      amount: '4200', currency: 'usd', payment_method: 'pm_card_visa', confirm: 'true',
      'automatic_payment_methods[enabled]': 'true', 'automatic_payment_methods[allow_redirects]': 'never',
      'metadata[orderId]': 'o1', 'metadata[userId]': 'ann',
    })
  })

  it("when stripe-mock answers with its canned intent (status requires_payment_method), then the adapter reads it as a failed attempt", async () => {
    // stripe-mock is stateless: every created intent is its fixture, whatever was asked.
    expect(await gateway().charge(charge('pm_card_visa'))).toEqual({
      status: 'declined', code: 'requires_payment_method', message: 'The payment was not completed.',
    })
  })

  it('when Stripe cannot be reached, then 503 payment-gateway-unavailable', async () => {
    const closed = await serve(() => [200, {}])
    await closed.close()
    const unreachable = createStripeGateway({ secretKey: 'sk_test_123', host: '127.0.0.1', port: closed.port, protocol: 'http', maxNetworkRetries: 0 })
    await expect(unreachable.charge(charge('pm_card_visa'))).rejects.toMatchObject({ status: 503, code: 'payment-gateway-unavailable' })
  })
})
