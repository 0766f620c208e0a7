import { notFound } from '@ticketing/shared/platform'
import { type User } from '@ticketing/shared/auth'
import type { Deps } from '../deps'
import { orderNotCancellable } from './errors'
import { canCancel, type Order } from './order'
import { settleOrder } from './settle-order'

/** The buyer gives the ticket back before paying. */
export async function cancelOrder(deps: Deps, user: User, id: string): Promise<Order> {
  const order = await deps.orders.get(id)
  if (!order) throw notFound('Order')
  await deps.permissions.require('Order', id, 'edit', user.id)
  if (!canCancel(order)) throw orderNotCancellable(order.status)
  const settled = await settleOrder(deps, order, 'cancelled')
  if (settled.status !== 'cancelled') throw orderNotCancellable(settled.status)
  return settled
}
