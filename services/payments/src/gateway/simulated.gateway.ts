import { randomBytes } from 'node:crypto'
import type { PaymentGateway, Rejected } from './payment-gateway'
import { amountRefusal, cardAnswer } from './simulated-cards'

type IntentStatus = 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled'
type Intent = { id: string; clientSecret: string; amount: number; status: IntentStatus; refundId?: string }

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

// Stripe forgets keys after 24 hours; the simulator forgets the oldest beyond these, so memory stays bounded.
const REMEMBERED_KEYS = 10_000
const REMEMBERED_INTENTS = 100_000

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const noSuchIntent = (id: string): Rejected =>
  ({ status: 'rejected', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${id}'` })
const keyReused = (key: string): Rejected => ({
  status: 'rejected',
  code: 'idempotency_error',
  message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
})

function remember<V>(map: Map<string, V>, key: string, value: V, limit: number) {
  map.set(key, value)
  if (map.size > limit) map.delete(map.keys().next().value!)
}

/**
 * Answers like Stripe's test mode for its test payment methods, without any network: the one-machine run and tests.
 * Keeps each intent's state, so a declined intent stays payable, and a paid or canceled one cannot be paid again.
 * Like Stripe, a repeated idempotency key replays the first answer, and reusing it for another request is refused.
 */
export function createSimulatedGateway(): SimulatedGateway {
  const intents = new Map<string, Intent>()
  const answered = new Map<string, { fingerprint: string; result: unknown }>()

  async function idempotent<T>(key: string, request: object, run: () => T | Rejected): Promise<T | Rejected> {
    const fingerprint = JSON.stringify(request)
    const earlier = answered.get(key)
    if (earlier) return earlier.fingerprint === fingerprint ? structuredClone(earlier.result as T) : keyReused(key)
    const result = run()
    remember(answered, key, { fingerprint, result: structuredClone(result) }, REMEMBERED_KEYS)
    return result
  }

  return {
    createIntent: ({ idempotencyKey, ...request }) =>
      idempotent(idempotencyKey, { create: request }, () => {
        const refused = amountRefusal(request.amount, request.currency)
        if (refused) return refused
        const id = `pi_sim_${hex(12)}`
        remember(intents, id, { id, clientSecret: `${id}_secret_${hex(12)}`, amount: request.amount, status: 'requires_payment_method' }, REMEMBERED_INTENTS)
        return { status: 'created' as const, id }
      }),

    confirm: ({ idempotencyKey, ...request }) =>
      idempotent(idempotencyKey, { confirm: request }, () => {
        const intent = intents.get(request.intentId)
        if (!intent) return noSuchIntent(request.intentId)
        if (intent.status === 'succeeded') return { status: 'succeeded' as const, id: intent.id, alreadySucceeded: true as const }
        if (intent.status === 'canceled') return { status: 'canceled' as const, id: intent.id }
        const result = cardAnswer(request.paymentMethod, intent)
        if (result.status === 'succeeded' || result.status === 'requires_action') intent.status = result.status
        if (result.status === 'declined') intent.status = 'requires_payment_method'
        return result
      }),

    refund: ({ idempotencyKey, ...request }) =>
      idempotent(idempotencyKey, { refund: request }, () => {
        const intent = intents.get(request.intentId)
        if (!intent) return noSuchIntent(request.intentId)
        if (intent.status !== 'succeeded') {
          return { status: 'rejected', code: 'payment_intent_unexpected_state', message: 'This PaymentIntent does not have a successful charge to refund.' }
        }
        intent.refundId ??= `re_sim_${hex(12)}`
        return { status: 'refunded' as const, id: intent.refundId }
      }),

    authenticate(intentId) {
      const intent = intents.get(intentId)
      if (intent?.status === 'requires_action') intent.status = 'succeeded'
      return intent?.status
    },

    cancelIntent(intentId) {
      const intent = intents.get(intentId)
      if (intent && intent.status !== 'succeeded') intent.status = 'canceled'
      return intent?.status
    },
  }
}
