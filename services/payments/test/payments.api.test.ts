import type { z } from '@hono/zod-openapi'
import Stripe from 'stripe'
import { beforeEach, describe, expect, it } from 'vitest'
import { useKeto } from '@ticketing/shared/testing/keto'
import { orderCancelledExample, orderCompletedExample, orderCreatedExample } from '@ticketing/shared/contracts'
import { createLogger, type Problem as ProblemSchema } from '@ticketing/shared/platform'
import { type Permissions } from '@ticketing/shared/permissions'
import { openSqlite } from '@ticketing/shared/sqlite'
import { deliverEvent, tokenIdentify } from '@ticketing/shared/testing'
import { createApp } from '../src/app'
import type { Deps } from '../src/deps'
import type { PaymentGateway } from '../src/gateway/payment-gateway'
import { createSimulatedGateway, type SimulatedGateway } from '../src/gateway/simulated.gateway'
import { createStripeWebhookVerifier } from '../src/gateway/stripe-webhook'
import type { PaymentPendingSchema, PaymentSchema } from '../src/http/schemas'
import type { PaymentsStore } from '../src/storage/payments.store'
import { createSqlitePaymentsStore } from '../src/storage/payments.sqlite'

const users = {
  'token-ann': { id: 'ann', email: 'ann@example.com' },
  'token-sam': { id: 'sam', email: 'sam@example.com' },
  'token-eve': { id: 'eve', email: 'eve@example.com' },
}
const identify = tokenIdentify(users)
const now = new Date('2026-06-01T10:00:00.000Z')
const webhookSecret = 'whsec_test_payments'

const keto = useKeto()
let permissions: Permissions

type Payment = z.infer<typeof PaymentSchema>
type PaymentPending = z.infer<typeof PaymentPendingSchema>
type Problem = z.infer<typeof ProblemSchema>
type LogLine = { level: number; msg: string; [field: string]: unknown }
// The body as the shape the test expects of it; the assertions check it.
const json = async <T = unknown>(res: Response): Promise<T> => (await res.json()) as T
// vitest types its asymmetric matchers `any`; as `unknown` they can stand for fields of an expected body.
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern)
const anyString: unknown = expect.any(String)

type Call = { [M in keyof PaymentGateway]: [M, Parameters<PaymentGateway[M]>[0]] }[keyof PaymentGateway]

let store: PaymentsStore
let simulated: SimulatedGateway
let calls: Call[]
let logs: LogLine[]
let app: ReturnType<typeof createApp>
/** The gateway, with every call it gets recorded in `calls`. */
const recording = (gateway: PaymentGateway): PaymentGateway => ({
  createIntent: (request) => (calls.push(['createIntent', request]), gateway.createIntent(request)),
  confirm: (request) => (calls.push(['confirm', request]), gateway.confirm(request)),
  refund: (request) => (calls.push(['refund', request]), gateway.refund(request)),
})
const build = (overrides: Partial<Deps> = {}) =>
  createApp({
    store, permissions, identify, pubsubName: 'pubsub', relay: { kick() {} },
    logger: createLogger({ name: 'test', level: 'warn', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } }),
    gateway: recording(simulated),
    verifyWebhook: createStripeWebhookVerifier(webhookSecret),
    currency: 'eur',
    clock: () => now,
    newId: () => `pay-${crypto.randomUUID()}`,
    ...overrides,
  })
beforeEach(() => {
  permissions = keto()
  store = createSqlitePaymentsStore(openSqlite(':memory:'))
  simulated = createSimulatedGateway()
  calls = []
  logs = []
  app = build()
})
const callsTo = (method: Call[0]) => calls.filter(([m]) => m === method).map(([, request]) => request)

const send = (method: string, path: string, token?: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { ...(token ? { 'X-Session-Token': token } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
const pay = (orderId: string, paymentMethod: string, token = 'token-ann') => send('POST', '/api/payments', token, { orderId, paymentMethod })

/** An order by ann on sam's ticket, its relationships written as the orders and tickets services write them. */
async function placeOrder(price = 4200, expiresAt = orderCreatedExample.expiresAt) {
  const orderId = `ord-${crypto.randomUUID()}`
  const ticketId = `tkt-${crypto.randomUUID()}`
  await permissions.grant([
    { namespace: 'Ticket', object: ticketId, relation: 'owners', subjectId: 'sam' },
    { namespace: 'Order', object: orderId, relation: 'owners', subjectId: 'ann' },
    { namespace: 'Order', object: orderId, relation: 'parents', subjectSet: { namespace: 'Ticket', object: ticketId, relation: '' } },
  ])
  await deliverEvent(app, 'order.created', { ...orderCreatedExample, id: orderId, userId: 'ann', expiresAt, ticket: { id: ticketId, price } })
  return orderId
}
const cancelled = (orderId: string) => ({ ...orderCancelledExample, id: orderId, userId: 'ann' })
const completed = (orderId: string) => ({ ...orderCompletedExample, id: orderId, userId: 'ann' })

const pendingEvents = async () => (await store.pending(100)).flatMap((row) => row.events.map((e) => [e.topic, e.data]))

describe('POST /api/payments', () => {
  it('when the buyer pays with pm_card_visa, then 201 returns the payment, payment.created is pending and the buyer may view it', async () => {
    const orderId = await placeOrder()
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(201)
    const payment = await json<Payment>(res)
    expect(payment).toEqual({
      id: matching(/^pay-/), orderId, stripeId: matching(/^pi_sim_/), userId: 'ann', version: 1, createdAt: now.toISOString(),
    })
    expect(res.headers.get('location')).toBe(`/api/payments/${payment.id}`)
    expect(await pendingEvents()).toEqual([['payment.created', { id: payment.id, orderId, stripeId: payment.stripeId, version: 1 }]])
    expect(await permissions.check('Payment', payment.id, 'view', 'ann')).toBe(true)
    expect(await permissions.check('Payment', payment.id, 'edit', 'ann')).toBe(true)
  })

  it("when paying, then the order's intent takes the replica's price in the configured currency and is confirmed with the card", async () => {
    const orderId = await placeOrder(12_345)
    const payment = await json<Payment>(await pay(orderId, 'pm_card_mastercard'))
    expect(calls).toEqual([
      ['createIntent', { amount: 12_345, currency: 'eur', metadata: { orderId, userId: 'ann' }, idempotencyKey: `order-${orderId}` }],
      ['confirm', { intentId: payment.stripeId, paymentMethod: 'pm_card_mastercard', idempotencyKey: `order-${orderId}-${payment.stripeId}-pm-pm_card_mastercard` }],
    ])
    expect(await store.getOrder(orderId)).toMatchObject({ intentId: payment.stripeId })
  })

  it("when the card is declined, then 402 with Stripe's message, nothing is stored, and another card can still pay", async () => {
    const orderId = await placeOrder()
    const declined = await pay(orderId, 'pm_card_chargeDeclined')
    expect(declined.status).toBe(402)
    expect(declined.headers.get('content-type')).toContain('application/problem+json')
    expect(await declined.json()).toMatchObject({ status: 402, code: 'card-declined', detail: 'Your card was declined.' })
    expect(await store.findPaymentByOrder(orderId)).toBeNull()
    expect(await pendingEvents()).toEqual([])

    const poor = await pay(orderId, 'pm_card_visa_chargeDeclinedInsufficientFunds')
    expect(await poor.json()).toMatchObject({ status: 402, detail: 'Your card has insufficient funds.' })
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(201)
    const intents = callsTo('createIntent')
    expect(intents).toHaveLength(1)
    const intentId = (await store.getOrder(orderId))?.intentId
    expect(callsTo('confirm').map((c) => 'intentId' in c && c.intentId)).toEqual([intentId, intentId, intentId])
    expect(await res.json()).toMatchObject({ stripeId: intentId })
  })

  it('when the card needs authentication, then 202 with the client secret and nothing is stored yet', async () => {
    const orderId = await placeOrder()
    const res = await pay(orderId, 'pm_card_authenticationRequired')
    expect(res.status).toBe(202)
    const body = await json<PaymentPending>(res)
    expect(body).toEqual({ status: 'requires_action', paymentIntentId: matching(/^pi_sim_/), clientSecret: anyString })
    expect(body.clientSecret.startsWith(`${body.paymentIntentId}_secret_`)).toBe(true)
    expect(await store.findPaymentByOrder(orderId)).toBeNull()
  })

  it.each([
    ['no payment method', { orderId: 'o1' }, 'paymentMethod'],
    ['a card token instead of a PaymentMethod', { orderId: 'o1', paymentMethod: 'tok_visa' }, 'paymentMethod'],
    ['a payment method that is not a string', { orderId: 'o1', paymentMethod: 42 }, 'paymentMethod'],
    ['no order', { paymentMethod: 'pm_card_visa' }, 'orderId'],
    ['an amount the client may not set', { orderId: 'o1', paymentMethod: 'pm_card_visa', amount: 1 }, 'amount'],
  ])('when the body has %s, then 400 names the field and nothing is charged', async (_case, body, field) => {
    const res = await send('POST', '/api/payments', 'token-ann', body)
    expect(res.status).toBe(400)
    const problem = await json<Problem>(res)
    expect(problem).toMatchObject({ status: 400, code: 'validation-failed' })
    expect(problem.errors?.map((e) => e.field)).toContain(field)
    expect(calls).toEqual([])
  })

  it('when Stripe does not know the payment method, then 400 on paymentMethod with its message', async () => {
    const orderId = await placeOrder()
    const res = await pay(orderId, 'pm_card_nope')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      code: 'invalid-payment-method', errors: [{ field: 'paymentMethod', message: "No such PaymentMethod: 'pm_card_nope'" }],
    })
  })

  it('when nobody is signed in, then 401 before anything else', async () => {
    const res = await send('POST', '/api/payments', undefined, { orderId: 'o1' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'unauthorized' })
  })

  it('when the seller or a stranger pays the buyer\'s order, then 403 and nothing is charged', async () => {
    const orderId = await placeOrder()
    for (const token of ['token-sam', 'token-eve']) {
      const res = await pay(orderId, 'pm_card_visa', token)
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ code: 'forbidden' })
    }
    expect(calls).toEqual([])
  })

  it('when the order is unknown to payments, then 404', async () => {
    const res = await pay('ord-unknown', 'pm_card_visa')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'order-not-found' })
  })

  it('when the buyer pays before order.created has arrived, then 409 order-not-ready, and once it arrives the order is paid', async () => {
    const orderId = `ord-${crypto.randomUUID()}`
    // The orders service writes the relationships before it stores the order and announces it.
    await permissions.grant([{ namespace: 'Order', object: orderId, relation: 'owners', subjectId: 'ann' }])
    const early = await pay(orderId, 'pm_card_visa')
    expect(early.status).toBe(409)
    expect(await early.json()).toMatchObject({
      status: 409, code: 'order-not-ready', detail: 'The order is still on its way to payments; try again in a moment',
    })
    expect(calls).toEqual([])
    await deliverEvent(app, 'order.created', { ...orderCreatedExample, id: orderId, userId: 'ann' })
    expect(await (await pay(orderId, 'pm_card_visa')).json()).toMatchObject({ orderId, userId: 'ann' })
  })

  it('when someone else pays an order that has not arrived yet, then 404 as for any unknown order', async () => {
    const orderId = `ord-${crypto.randomUUID()}`
    await permissions.grant([{ namespace: 'Order', object: orderId, relation: 'owners', subjectId: 'ann' }])
    const res = await pay(orderId, 'pm_card_visa', 'token-eve')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'order-not-found' })
    expect(calls).toEqual([])
  })

  it('when the order is cancelled, then 409 order-cancelled and nothing is charged', async () => {
    const orderId = await placeOrder()
    await deliverEvent(app, 'order.cancelled', cancelled(orderId))
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ code: 'order-cancelled' })
    expect(calls).toEqual([])
  })

  it('when the reservation has ended, then 409 order-expired and Stripe is not asked', async () => {
    const orderId = await placeOrder(4200, now.toISOString())
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ code: 'order-expired' })
    expect(calls).toEqual([])
  })

  it('when the price is under Stripe\'s minimum, then 422 payment-rejected with Stripe\'s message and nothing is confirmed', async () => {
    const orderId = await placeOrder(49)
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(422)
    expect(await res.json()).toMatchObject({ code: 'payment-rejected', detail: 'Amount must be at least €0.50 eur' })
    expect(callsTo('confirm')).toEqual([])
    expect(await store.getOrder(orderId)).not.toHaveProperty('intentId')
  })

  it("when the price is over Stripe's maximum, then 422 payment-rejected with Stripe's message and nothing is confirmed", async () => {
    // order.created caps prices below it; the replica is written directly to show the gateway's own refusal.
    await store.applyOrder({ id: 'ord-dear', userId: 'ann', status: 'created', version: 1, price: 100_000_000, expiresAt: orderCreatedExample.expiresAt })
    await permissions.grant([{ namespace: 'Order', object: 'ord-dear', relation: 'owners', subjectId: 'ann' }])
    const res = await pay('ord-dear', 'pm_card_visa')
    expect(res.status).toBe(422)
    expect(await res.json()).toMatchObject({ code: 'payment-rejected', detail: 'Amount must be no more than €999,999.99' })
    expect(callsTo('confirm')).toEqual([])
  })

  it('when Stripe has canceled the intent, then another card pays a new one: 201, one payment, and the replica holds the new intent', async () => {
    const orderId = await placeOrder()
    expect((await pay(orderId, 'pm_card_chargeDeclined')).status).toBe(402)
    const canceled = (await store.getOrder(orderId))!.intentId!
    expect(simulated.cancelIntent(canceled)).toBe('canceled')

    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(201)
    const payment = await json<Payment>(res)
    expect(payment.stripeId).not.toBe(canceled)
    expect(await store.getOrder(orderId)).toMatchObject({ intentId: payment.stripeId })
    expect(callsTo('createIntent').map((c) => 'idempotencyKey' in c && c.idempotencyKey)).toEqual([`order-${orderId}`, `order-${orderId}-after-${canceled}`])
    expect(callsTo('confirm').map((c) => 'intentId' in c && c.intentId)).toEqual([canceled, canceled, payment.stripeId])
    expect(await store.findPaymentByOrder(orderId)).toEqual(payment)
    expect(await pendingEvents()).toEqual([['payment.created', { id: payment.id, orderId, stripeId: payment.stripeId, version: 1 }]])
  })

  it('when a card declined on the canceled intent is tried again, then it is declined on the new one, not refused as a reused key', async () => {
    const orderId = await placeOrder()
    await pay(orderId, 'pm_card_chargeDeclined')
    simulated.cancelIntent((await store.getOrder(orderId))!.intentId!)
    expect(await (await pay(orderId, 'pm_card_chargeDeclined')).json()).toMatchObject({ status: 402, code: 'card-declined' })
    expect((await pay(orderId, 'pm_card_visa')).status).toBe(201)
    expect(callsTo('createIntent')).toHaveLength(2)
  })

  it('when two cards pay at once after the intent was canceled, then both use the same new intent and one payment is stored', async () => {
    const orderId = await placeOrder()
    await pay(orderId, 'pm_card_chargeDeclined')
    const canceled = (await store.getOrder(orderId))!.intentId!
    simulated.cancelIntent(canceled)
    const results = await Promise.all([pay(orderId, 'pm_card_visa'), pay(orderId, 'pm_card_mastercard')])
    expect(results.map((r) => r.status).sort()).toEqual([201, 409])
    const { intentId } = (await store.getOrder(orderId))!
    expect(new Set(callsTo('confirm').slice(1).map((c) => 'intentId' in c && c.intentId))).toEqual(new Set([canceled, intentId]))
    expect(await store.findPaymentByOrder(orderId)).toMatchObject({ stripeId: intentId })
    expect(await pendingEvents()).toHaveLength(1)
  })

  it('when the new intent is canceled as well, then 409 payment-canceled after one replacement, and nothing is stored', async () => {
    const orderId = await placeOrder()
    app = build({
      gateway: recording({
        ...simulated,
        async createIntent(request) {
          const created = await simulated.createIntent(request)
          if (created.status === 'created') simulated.cancelIntent(created.id)
          return created
        },
      }),
    })
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ code: 'payment-canceled' })
    expect(callsTo('createIntent')).toHaveLength(2)
    expect(callsTo('confirm')).toHaveLength(2)
    expect(await store.findPaymentByOrder(orderId)).toBeNull()
  })

  it('when the order is paid already, then 409 order-paid and the card is charged once', async () => {
    const orderId = await placeOrder()
    expect((await pay(orderId, 'pm_card_visa')).status).toBe(201)
    const again = await pay(orderId, 'pm_card_mastercard')
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ code: 'order-paid' })
    expect(callsTo('confirm')).toHaveLength(1)
  })

  it('when order.completed arrived, then paying is 409 order-paid', async () => {
    const orderId = await placeOrder()
    await deliverEvent(app, 'order.completed', completed(orderId))
    expect(await (await pay(orderId, 'pm_card_visa')).json()).toMatchObject({ status: 409, code: 'order-paid' })
  })

  it("when two cards pay the same order at once, then one payment is stored, the other request gets 409 and the other payment's relationships are gone", async () => {
    const orderId = await placeOrder()
    // Both requests reach the insert before either lands, so one of them loses it.
    let arrived = 0
    let bothArrived = () => {}
    const barrier = new Promise<void>((resolve) => (bothArrived = resolve))
    const paymentIds: string[] = []
    app = build({
      store: { ...store, insertPayment: async (...args) => (++arrived === 2 && bothArrived(), await barrier, store.insertPayment(...args)) },
      newId: () => (paymentIds.push(`pay-${crypto.randomUUID()}`), paymentIds.at(-1)!),
    })
    const results = await Promise.all([pay(orderId, 'pm_card_visa'), pay(orderId, 'pm_card_mastercard')])
    expect(results.map((r) => r.status).sort()).toEqual([201, 409])
    const [paid, refused] = results[0].status === 201 ? results : [results[1], results[0]]
    expect(await refused.json()).toMatchObject({ code: 'order-paid' })
    const payment = await json<Payment>(paid)
    expect(new Set(callsTo('confirm').map((c) => 'intentId' in c && c.intentId))).toEqual(new Set([payment.stripeId]))
    expect((await store.pending(10)).flatMap((row) => row.events)).toHaveLength(1)
    expect(paymentIds).toHaveLength(2)
    const lost = paymentIds.find((id) => id !== payment.id)!
    expect(await permissions.check('Payment', payment.id, 'view', 'ann')).toBe(true)
    expect(await permissions.check('Payment', lost, 'view', 'ann')).toBe(false)
    expect(await permissions.check('Payment', lost, 'view', 'sam')).toBe(false)
  })

  it('when a 3-D Secure card waits, another card pays, and the authentication then finishes, then the order is paid once', async () => {
    const orderId = await placeOrder()
    const pending = await json<PaymentPending>(await pay(orderId, 'pm_card_authenticationRequired'))
    const res = await pay(orderId, 'pm_card_visa')
    expect(res.status).toBe(201)
    const payment = await json<Payment>(res)
    expect(payment.stripeId).toBe(pending.paymentIntentId)
    expect(simulated.authenticate(pending.paymentIntentId)).toBe('succeeded')
    expect(await (await pay(orderId, 'pm_card_mastercard')).json()).toMatchObject({ status: 409, code: 'order-paid' })
    expect(callsTo('createIntent')).toHaveLength(1)
    expect(await store.findPaymentByOrder(orderId)).toEqual(payment)
  })

  it('when the authentication finished but its web hook is late, then the next attempt records the payment and answers 409', async () => {
    const orderId = await placeOrder()
    const { paymentIntentId } = await json<PaymentPending>(await pay(orderId, 'pm_card_authenticationRequired'))
    simulated.authenticate(paymentIntentId)
    const res = await pay(orderId, 'pm_card_visa')
    expect(await res.json()).toMatchObject({ status: 409, code: 'order-paid' })
    expect(await store.findPaymentByOrder(orderId)).toMatchObject({ orderId, stripeId: paymentIntentId, userId: 'ann' })
    expect(await pendingEvents()).toHaveLength(1)
  })

  it('when the order is cancelled while the card is charged, then the payment is recorded, refunded, and the answer is 409', async () => {
    const orderId = await placeOrder()
    app = build({
      gateway: recording({
        ...simulated,
        async confirm(request) {
          const result = await simulated.confirm(request)
          await deliverEvent(app, 'order.cancelled', cancelled(orderId))
          return result
        },
      }),
    })
    const res = await pay(orderId, 'pm_card_visa')
    expect(await res.json()).toMatchObject({ status: 409, code: 'order-cancelled' })
    const payment = await store.findPaymentByOrder(orderId)
    expect(payment).toMatchObject({ refunded: true })
    expect(callsTo('refund')).toEqual([{ intentId: payment!.stripeId, idempotencyKey: `refund-${orderId}` }])
  })
})

describe('order events', () => {
  it('when order.created arrives twice, then the replica holds it once at version 1', async () => {
    const event = { ...orderCreatedExample, id: 'ord-twice', userId: 'ann' }
    expect(await deliverEvent(app, 'order.created', event)).toBe('SUCCESS')
    expect(await deliverEvent(app, 'order.created', event)).toBe('SUCCESS')
    expect(await store.getOrder('ord-twice')).toEqual({
      id: 'ord-twice', userId: 'ann', status: 'created', version: 1, price: 8900, expiresAt: orderCreatedExample.expiresAt,
    })
  })

  it("when order.cancelled arrives, twice, for a paid order, then the payment is refunded once, logged with the event's id, and reads as refunded", async () => {
    const orderId = await placeOrder()
    const payment = await json<Payment>(await pay(orderId, 'pm_card_visa'))
    expect(await deliverEvent(app, 'order.cancelled', cancelled(orderId))).toBe('SUCCESS')
    expect(await deliverEvent(app, 'order.cancelled', cancelled(orderId))).toBe('SUCCESS')
    expect(callsTo('refund')).toEqual([{ intentId: payment.stripeId, idempotencyKey: `refund-${orderId}` }])
    const shown = await json(await send('GET', `/api/payments/${payment.id}`, 'token-ann'))
    expect(shown).toEqual({ ...payment, refunded: true })
    expect(logs.filter((l) => l.msg === 'payment for a cancelled order refunded')).toEqual([
      expect.objectContaining({
        level: 40, eventId: anyString, topic: 'order.cancelled',
        orderId, paymentId: payment.id, stripeId: payment.stripeId, refundId: matching(/^re_sim_/),
      }),
    ])
  })

  it('when order.cancelled arrives for an unpaid order, then nothing is refunded', async () => {
    const orderId = await placeOrder()
    await pay(orderId, 'pm_card_chargeDeclined')
    await deliverEvent(app, 'order.cancelled', cancelled(orderId))
    expect(callsTo('refund')).toEqual([])
  })

  it('when the refund fails for want of Stripe, then the event is retried and the next delivery refunds', async () => {
    const orderId = await placeOrder()
    const payment = await json<Payment>(await pay(orderId, 'pm_card_visa'))
    app = build({ gateway: { ...simulated, refund: async () => Promise.reject(new Error('Stripe is down')) } })
    expect(await deliverEvent(app, 'order.cancelled', cancelled(orderId))).toBe('RETRY')
    expect(await store.getPayment(payment.id)).not.toHaveProperty('refunded')
    app = build()
    expect(await deliverEvent(app, 'order.cancelled', cancelled(orderId))).toBe('SUCCESS')
    expect(await store.getPayment(payment.id)).toMatchObject({ refunded: true })
  })

  it('when order.cancelled arrives before order.created, then the order stays cancelled', async () => {
    expect(await deliverEvent(app, 'order.cancelled', cancelled('ord-late'))).toBe('SUCCESS')
    expect(await deliverEvent(app, 'order.created', { ...orderCreatedExample, id: 'ord-late', userId: 'ann' })).toBe('SUCCESS')
    expect(await store.getOrder('ord-late')).toMatchObject({ status: 'cancelled', version: 2 })
  })

  it('when order.completed arrives twice and before order.created, then the order stays complete', async () => {
    await deliverEvent(app, 'order.completed', completed('ord-done'))
    await deliverEvent(app, 'order.completed', completed('ord-done'))
    await deliverEvent(app, 'order.created', { ...orderCreatedExample, id: 'ord-done', userId: 'ann' })
    expect(await store.getOrder('ord-done')).toMatchObject({ status: 'complete', version: 2 })
  })

  it('when an event breaks its contract, then it is dropped to the dead-letter topic', async () => {
    expect(await deliverEvent(app, 'order.created', { ...orderCreatedExample, ticket: { id: 't', price: 12.5 } })).toBe('DROP')
  })
})

describe('POST /api/payments/webhooks/stripe', () => {
  let n = 0
  const stripeEvent = (type: string, object: object) =>
    JSON.stringify({ id: `evt_${++n}`, object: 'event', type, created: 1780308000, livemode: false, pending_webhooks: 1, data: { object } })
  const succeeded = (orderId: string, stripeId = `pi_${crypto.randomUUID().slice(0, 8)}`) =>
    stripeEvent('payment_intent.succeeded', { id: stripeId, object: 'payment_intent', status: 'succeeded', amount: 4200, metadata: { orderId, userId: 'ann' } })
  const hook = (payload: string, signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret })) =>
    app.request('/api/payments/webhooks/stripe', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature }, body: payload })

  it('when the signature is wrong or missing, then 400 and nothing is stored', async () => {
    const orderId = await placeOrder()
    const payload = succeeded(orderId)
    const forged = await hook(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' }))
    expect(forged.status).toBe(400)
    expect(await forged.json()).toMatchObject({ status: 400, code: 'invalid-signature' })
    const unsigned = await app.request('/api/payments/webhooks/stripe', { method: 'POST', body: payload })
    expect(await unsigned.json()).toMatchObject({ status: 400, code: 'invalid-signature', detail: 'The Stripe-Signature header is missing' })
    const tampered = await hook(payload.replace('"ann"', '"eve"'), Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }))
    expect(tampered.status).toBe(400)
    expect(await store.findPaymentByOrder(orderId)).toBeNull()
  })

  it('when payment_intent.succeeded arrives twice, then one payment and one pending payment.created', async () => {
    const orderId = await placeOrder()
    const payload = succeeded(orderId, 'pi_hook_1')
    expect((await hook(payload)).status).toBe(200)
    const second = await hook(payload)
    expect(await second.json()).toEqual({ received: true, outcome: 'recorded' })
    const payment = await store.findPaymentByOrder(orderId)
    expect(payment).toMatchObject({ orderId, stripeId: 'pi_hook_1', userId: 'ann', version: 1 })
    expect(await pendingEvents()).toEqual([['payment.created', { id: payment!.id, orderId, stripeId: 'pi_hook_1', version: 1 }]])
    expect(await permissions.check('Payment', payment!.id, 'view', 'ann')).toBe(true)
  })

  it('when the buyer had to authenticate, then the web hook records the payment and the order reads as paid', async () => {
    const orderId = await placeOrder()
    const { paymentIntentId } = await json<PaymentPending>(await pay(orderId, 'pm_card_authenticationRequired'))
    await hook(succeeded(orderId, paymentIntentId))
    expect(await store.findPaymentByOrder(orderId)).toMatchObject({ stripeId: paymentIntentId })
    expect(await (await pay(orderId, 'pm_card_visa')).json()).toMatchObject({ status: 409, code: 'order-paid' })
  })

  it("when payment_intent.succeeded arrives for a cancelled order, then the payment is recorded and refunded, logged with the request's and event's ids", async () => {
    const orderId = await placeOrder()
    const { paymentIntentId } = await json<PaymentPending>(await pay(orderId, 'pm_card_authenticationRequired'))
    await deliverEvent(app, 'order.cancelled', cancelled(orderId))
    simulated.authenticate(paymentIntentId)
    expect(await (await hook(succeeded(orderId, paymentIntentId))).json()).toEqual({ received: true, outcome: 'recorded' })
    await hook(succeeded(orderId, paymentIntentId))
    const payment = await store.findPaymentByOrder(orderId)
    expect(payment).toMatchObject({ stripeId: paymentIntentId, refunded: true })
    expect(callsTo('refund')).toEqual([{ intentId: paymentIntentId, idempotencyKey: `refund-${orderId}` }])
    expect(logs).toContainEqual(expect.objectContaining({
      level: 40, msg: 'payment for a cancelled order refunded', orderId, stripeId: paymentIntentId,
      requestId: anyString, stripeEventId: matching(/^evt_/),
    }))
  })

  it('when the web hook reports an intent the API already stored, then nothing is added', async () => {
    const orderId = await placeOrder()
    const payment = await json<Payment>(await pay(orderId, 'pm_card_visa'))
    await hook(succeeded(orderId, payment.stripeId))
    expect(await store.findPaymentByOrder(orderId)).toEqual(payment)
    expect(await pendingEvents()).toHaveLength(1)
  })

  it('when another event type or a foreign intent arrives, then 200 and it is ignored', async () => {
    const failed = await hook(stripeEvent('payment_intent.payment_failed', { id: 'pi_x', object: 'payment_intent', metadata: {} }))
    expect(await failed.json()).toEqual({ received: true, outcome: 'ignored' })
    const foreign = await hook(stripeEvent('payment_intent.succeeded', { id: 'pi_y', object: 'payment_intent', metadata: {} }))
    expect(await foreign.json()).toEqual({ received: true, outcome: 'ignored' })
    expect(await pendingEvents()).toEqual([])
  })

  it('when no signing secret is configured, then 503 so Stripe retries once it is', async () => {
    app = build({ verifyWebhook: undefined })
    const res = await hook(succeeded('ord-x'))
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ code: 'webhook-not-configured' })
  })
})

describe('GET /api/payments/:id', () => {
  it('when the buyer or the seller asks, then 200; a stranger gets 403', async () => {
    const orderId = await placeOrder()
    const payment = await json<Payment>(await pay(orderId, 'pm_card_visa'))
    for (const token of ['token-ann', 'token-sam']) {
      const res = await send('GET', `/api/payments/${payment.id}`, token)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual(payment)
    }
    const stranger = await send('GET', `/api/payments/${payment.id}`, 'token-eve')
    expect(stranger.status).toBe(403)
  })

  it('when the payment is unknown or nobody is signed in, then 404 and 401', async () => {
    expect(await (await send('GET', '/api/payments/nope', 'token-ann')).json()).toMatchObject({ status: 404, code: 'payment-not-found' })
    expect((await send('GET', '/api/payments/nope')).status).toBe(401)
  })
})

describe('service endpoints', () => {
  // The parts of the generated document this test looks at.
  type OpenApiDocument = {
    paths: { '/api/payments': { post: { responses: object } } }
    components: { schemas: { Payment: { properties: { version: { type: string } } } } }
  }

  it('when asked, then /healthz is ok and the OpenAPI document lists the payment routes with integer versions', async () => {
    expect(await (await send('GET', '/healthz')).json()).toEqual({ status: 'ok' })
    const doc = await json<OpenApiDocument>(await send('GET', '/api/payments/openapi.json'))
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/payments', '/api/payments/{id}'])
    expect(Object.keys(doc.paths['/api/payments'].post.responses).sort()).toEqual(['201', '202', '400', '401', '402', '403', '404', '409', '422', '503'])
    expect(doc.components.schemas.Payment.properties.version.type).toBe('integer')
  })

  it('when the sidecar asks for subscriptions, then the three order topics and the service\'s dead letters are listed', async () => {
    const subs = await json<Array<{ topic: string }>>(await send('GET', '/dapr/subscribe'))
    expect(subs.map((s) => s.topic)).toEqual(['order.created', 'order.cancelled', 'order.completed', 'payments.dead-letter'])
  })
})
