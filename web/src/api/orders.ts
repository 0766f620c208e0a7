import { requestBody, retryWhile } from './http'

export type OrderStatus = 'created' | 'complete' | 'cancelled'

export type Order = {
  id: string
  userId: string
  status: OrderStatus
  version: number
  expiresAt: string
  createdAt: string
  updatedAt: string
  ticket: { id: string; title: string; price: number; sellerId: string }
}

const path = (id: string) => `/api/orders/${encodeURIComponent(id)}`

/** POST /api/orders: reserves a ticket for the signed-in person, retrying while orders has not heard of it yet. */
export const createOrder = (ticketId: string) =>
  retryWhile(['ticket-not-found'], () => requestBody<Order>('/api/orders', { method: 'POST', body: { ticketId } }))

/** GET /api/orders: the signed-in person's orders, newest first. */
export const listMyOrders = () => requestBody<{ items: Order[] }>('/api/orders')

/** GET /api/orders/sales: orders placed on the signed-in person's tickets. */
export const listMySales = () => requestBody<{ items: Order[] }>('/api/orders/sales')

/** GET /api/orders/:id */
export const getOrder = (id: string) => requestBody<Order>(path(id))

/** DELETE /api/orders/:id: the buyer gives the reservation up. */
export const cancelOrder = (id: string) => requestBody<Order>(path(id), { method: 'DELETE' })
