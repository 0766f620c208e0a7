import type { components, paths } from './generated/orders'
import { bodyOf, createApiClient, retryWhile } from './http'

type Schemas = components['schemas']
export type Order = Schemas['Order']
export type OrderStatus = Order['status']
export type OrderList = Schemas['OrderList']

const orders = createApiClient<paths>()

/** POST /api/orders: reserves a ticket for the signed-in person, retrying while orders has not heard of it yet. */
export const createOrder = (ticketId: string) =>
  retryWhile(['ticket-not-found'], () => bodyOf(orders.POST('/api/orders', { body: { ticketId } })))

/** GET /api/orders: the signed-in person's orders, newest first. */
export const listMyOrders = () => bodyOf(orders.GET('/api/orders'))

/** GET /api/orders/sales: orders placed on the signed-in person's tickets. */
export const listMySales = () => bodyOf(orders.GET('/api/orders/sales'))

/** GET /api/orders/:id */
export const getOrder = (id: string) => bodyOf(orders.GET('/api/orders/{id}', { params: { path: { id } } }))

/** DELETE /api/orders/:id: the buyer gives the reservation up. */
export const cancelOrder = (id: string) => bodyOf(orders.DELETE('/api/orders/{id}', { params: { path: { id } } }))
