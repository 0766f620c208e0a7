import { notFound, type Logger } from '@ticketing/shared/platform'
import { type User } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { cardDeclined, orderCancelled, orderExpired, orderNotReady, orderPaid, paymentCanceled, refused } from './errors'
import { openIntent, replaceIntent } from './open-intent'
import { payability } from './order'
import { idempotencyKeys, type Payment } from './payment'
import { recordPayment } from './record-payment'
import { refundIfCancelled } from './refund-cancelled-order'

export type PayInput = { orderId: string; paymentMethod: string }
export type PayOutcome =
  | { status: 'succeeded'; payment: Payment }
  | { status: 'requires_action' | 'processing'; clientSecret: string; paymentIntentId: string }

/**
 * Why an order is not in the replica. The orders service writes the order's relationships before it stores the
 * order, so a buyer allowed to edit it has an order whose order.created has not arrived yet; anyone else gets 404.
 */
async function missingOrder(deps: Deps, buyer: User, orderId: string) {
  return (await deps.permissions.check('Order', orderId, 'edit', buyer.id)) ? orderNotReady() : notFound('Order')
}

const notPayable = { cancelled: orderCancelled, paid: orderPaid, expired: orderExpired }

/** The buyer pays their order: the order's one PaymentIntent is confirmed with their card; only a success is stored. */
export async function payOrder(deps: Deps, buyer: User, { orderId, paymentMethod }: PayInput, log: Logger): Promise<PayOutcome> {
  const replica = await deps.store.getOrder(orderId)
  if (!replica) throw await missingOrder(deps, buyer, orderId)
  await deps.permissions.require('Order', orderId, 'edit', buyer.id)
  const payable = payability(replica, (await deps.store.findPaymentByOrder(orderId)) !== null, deps.clock())
  if (payable.verdict !== 'payable') throw notPayable[payable.verdict]()
  const { order } = payable

  const confirm = (intentId: string) =>
    deps.gateway.confirm({ intentId, paymentMethod, idempotencyKey: idempotencyKeys.confirm(orderId, intentId, paymentMethod) })
  let result = await confirm(await openIntent(deps, order))
  // Stripe cancels an intent after too many failed confirmations; without a new one the order could not be paid.
  if (result.status === 'canceled') result = await confirm(await replaceIntent(deps, order, result.id))
  switch (result.status) {
    case 'succeeded': {
      const payment = await recordPayment(deps, { orderId, userId: order.userId, stripeId: result.id }, log)
      // The reservation may have ended while the card was charged, and the cancellation seen no payment yet.
      if (await refundIfCancelled(deps, orderId, log)) throw orderCancelled()
      // Another card, or a finished authentication, paid the intent before this attempt.
      if (result.alreadySucceeded) throw orderPaid()
      return { status: 'succeeded', payment }
    }
    case 'requires_action':
    case 'processing':
      return { status: result.status, clientSecret: result.clientSecret, paymentIntentId: result.id }
    case 'declined':
      throw cardDeclined(result.message)
    case 'canceled':
      // The replacement was canceled too (attempts racing it): one replacement per request, the next attempt makes another.
      throw paymentCanceled()
    case 'rejected':
      throw refused(result)
  }
}
