import type { z } from 'zod'
import type { Problem as ProblemSchema } from '@ticketing/shared/platform'
import { inject } from 'vitest'
import { eventually } from '@ticketing/shared/testing'
import type { OrderSchema } from '../../services/orders/src/http/schemas'
import type { PaymentSchema } from '../../services/payments/src/http/schemas'
import type { TicketSchema } from '../../services/tickets/src/http/schemas'
import { signUpNative } from '../../dev/src/kratos'
import { startPlatformStack, type Pubsub } from '../../dev/src/platform'
import { startLocalStack, type Stack } from '../../dev/src/stack'

export { eventually }

export type Person = { token: string; id: string; email: string }

// What the gateway answers, as the services' OpenAPI schemas declare it.
export type Ticket = z.infer<typeof TicketSchema>
export type Order = z.infer<typeof OrderSchema>
export type Payment = z.infer<typeof PaymentSchema>
export type Problem = z.infer<typeof ProblemSchema>
export type Items<T> = { items: T[] }

/** The JSON body of `res`, as the shape the caller expects (the test's assertions check it). */
export const json = async <T = unknown>(res: Response): Promise<T> => (await res.json()) as T

/**
 * A client of the gateway that speaks JSON as one person (or nobody). `T` is the body the caller
 * expects; an empty body comes back as undefined.
 */
export function client(stack: Pick<Stack, 'url'>) {
  return async function api<T = unknown>(path: string, init: { method?: string; as?: Person; body?: unknown } = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(`${stack.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.as ? { 'X-Session-Token': init.as.token } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
  }
}

let people = 0
/** Signs a new person up through Kratos's native flow on the gateway. */
export async function signUp(stack: Pick<Stack, 'url'>, name: string): Promise<Person> {
  const email = `${name}.${process.pid}.${++people}@example.com`
  const { sessionToken, identityId } = await signUpNative(`${stack.url}/.ory`, email, 'a long enough password')
  return { token: sessionToken, id: identityId, email }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the platform tier's global setup: where the real daprd, Kratos and Keto are. */
    platformBin: string
  }
}

/**
 * The marketplace the tier runs on, with optional environment overrides: the local stack, quiet and in
 * memory; or, in the platform tier (PLATFORM_PUBSUB set), real daprd, Kratos and Keto over that pub/sub.
 */
export function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const pubsub = process.env.PLATFORM_PUBSUB as Pubsub | undefined
  if (pubsub) return startPlatformStack({ bin: inject('platformBin'), pubsub, env })
  return startQuietLocalStack(env)
}

/** The local stack, quiet and in memory: for tests of the stand-ins themselves. */
export const startQuietLocalStack = (env: Record<string, string> = {}) => startLocalStack({ port: 0, dataDir: ':memory:', quiet: true, env })

/**
 * Lists a ticket as `seller` and waits until the orders service has its copy (ticket.created went through Dapr),
 * so it can be ordered.
 */
export async function listTicket(stack: Pick<Stack, 'url'>, seller: Person, fields: { title: string; price: number }) {
  const api = client(stack)
  const { status, body: ticket } = await api<Ticket>('/api/tickets', { method: 'POST', as: seller, body: fields })
  if (status !== 201) throw new Error(`listing failed: ${status} ${JSON.stringify(ticket)}`)
  return ticket
}

/** Orders `ticketId`, retrying while the orders service has not yet heard of the ticket (404). */
export async function reserve(stack: Pick<Stack, 'url'>, buyer: Person, ticketId: string) {
  const api = client(stack)
  return eventually(async () => {
    const res = await api<Order>('/api/orders', { method: 'POST', as: buyer, body: { ticketId } })
    if (res.status === 404) throw new Error('the orders service has not heard of the ticket yet')
    return res
  })
}
