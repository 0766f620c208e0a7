import { requestBody } from './http'

export type Ticket = {
  id: string
  title: string
  description: string
  /** Integer cents. */
  price: number
  userId: string
  orderId: string | null
  version: number
  createdAt: string
  updatedAt: string
}

export type TicketFields = { title: string; description: string; price: number }
export type TicketPage = { items: Ticket[]; nextCursor: string | null }

/** GET /api/tickets: newest first, one page at a time. */
export function searchTickets(params: { q?: string; limit?: number; cursor?: string | null }): Promise<TicketPage> {
  const query = new URLSearchParams()
  if (params.q?.trim()) query.set('q', params.q.trim())
  if (params.limit) query.set('limit', String(params.limit))
  if (params.cursor) query.set('cursor', params.cursor)
  const suffix = query.toString() ? `?${query}` : ''
  return requestBody<TicketPage>(`/api/tickets${suffix}`)
}

/** GET /api/tickets/:id */
export const getTicket = (id: string) => requestBody<Ticket>(`/api/tickets/${encodeURIComponent(id)}`)

/** POST /api/tickets: lists a ticket for sale as the signed-in person. */
export const createTicket = (fields: TicketFields) => requestBody<Ticket>('/api/tickets', { method: 'POST', body: fields })

/** PATCH /api/tickets/:id: the seller changes a ticket that no order holds. */
export const updateTicket = (id: string, fields: Partial<TicketFields>) =>
  requestBody<Ticket>(`/api/tickets/${encodeURIComponent(id)}`, { method: 'PATCH', body: fields })
