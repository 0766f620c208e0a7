import { randomBytes } from 'node:crypto'
import { openSqlite, transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { PaymentGateway, Rejected } from './payment-gateway'
import { amountRefusal, cardAnswer } from './simulated-cards'
import { simulatedTables, type IntentStatus } from './simulated.sqlite'

/** The simulator, plus what the buyer's browser would do with Stripe.js. */
export type SimulatedGateway = PaymentGateway & {
  /** Finishes a pending 3-D Secure authentication; the intent's status afterwards, undefined for an unknown intent. */
  authenticate(intentId: string): IntentStatus | undefined
  /**
   * Cancels an intent as Stripe does after too many failed confirmations (a paid intent stays paid);
   * the intent's status afterwards, undefined for an unknown intent.
   */
  cancelIntent(intentId: string): IntentStatus | undefined
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const noSuchIntent = (id: string): Rejected =>
  ({ status: 'rejected', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${id}'` })
const keyReused = (key: string): Rejected => ({
  status: 'rejected',
  code: 'idempotency_error',
  message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
})

/**
 * Answers like Stripe's test mode for its test payment methods, without any network: the one-machine run and tests.
 * Keeps each intent's state, so a declined intent stays payable, and a paid or canceled one cannot be paid again.
 * Like Stripe, a repeated idempotency key replays the first answer, and reusing it for another request is refused.
 * Intents and answers live in `db` (the payments service's file in the one-machine run), so they survive a restart.
 * @example const gateway = createSimulatedGateway(openSqlite('.data/payments.db'))
 */
export function createSimulatedGateway(db: DatabaseSync = openSqlite(':memory:')): SimulatedGateway {
  const tables = simulatedTables(db)

  // One transaction: the intent's change and the answer remembered for its key are kept together or not at all.
  async function idempotent<T>(key: string, request: object, run: () => T | Rejected): Promise<T | Rejected> {
    const fingerprint = JSON.stringify(request)
    return transaction(db, () => {
      const earlier = tables.answer(key)
      if (earlier) return earlier.fingerprint === fingerprint ? (JSON.parse(earlier.result) as T) : keyReused(key)
      const result = run()
      tables.addAnswer(key, { fingerprint, result: JSON.stringify(result) })
      return result
    })
  }

  return {
    createIntent: ({ idempotencyKey, ...request }) =>
      idempotent(idempotencyKey, { create: request }, () => {
        const refused = amountRefusal(request.amount, request.currency)
        if (refused) return refused
        const id = `pi_sim_${hex(12)}`
        tables.addIntent({ id, clientSecret: `${id}_secret_${hex(12)}`, amount: request.amount, status: 'requires_payment_method' })
        return { status: 'created' as const, id }
      }),

    confirm: ({ idempotencyKey, ...request }) =>
      idempotent(idempotencyKey, { confirm: request }, () => {
        const intent = tables.intent(request.intentId)
        if (!intent) return noSuchIntent(request.intentId)
        if (intent.status === 'succeeded') return { status: 'succeeded' as const, id: intent.id, alreadySucceeded: true as const }
        if (intent.status === 'canceled') return { status: 'canceled' as const, id: intent.id }
        const result = cardAnswer(request.paymentMethod, intent)
        if (result.status === 'succeeded' || result.status === 'requires_action') tables.setStatus(intent.id, result.status)
        if (result.status === 'declined') tables.setStatus(intent.id, 'requires_payment_method')
        return result
      }),

    refund: ({ idempotencyKey, ...request }) =>
      idempotent(idempotencyKey, { refund: request }, () => {
        const intent = tables.intent(request.intentId)
        if (!intent) return noSuchIntent(request.intentId)
        if (intent.status !== 'succeeded') {
          return { status: 'rejected', code: 'payment_intent_unexpected_state', message: 'This PaymentIntent does not have a successful charge to refund.' }
        }
        const refundId = intent.refundId ?? `re_sim_${hex(12)}`
        if (!intent.refundId) tables.setRefund(intent.id, refundId)
        return { status: 'refunded' as const, id: refundId }
      }),

    authenticate(intentId) {
      const status = tables.intent(intentId)?.status
      if (status !== 'requires_action') return status
      tables.setStatus(intentId, 'succeeded')
      return 'succeeded'
    },

    cancelIntent(intentId) {
      const status = tables.intent(intentId)?.status
      if (status === undefined || status === 'succeeded') return status
      tables.setStatus(intentId, 'canceled')
      return 'canceled'
    },
  }
}
