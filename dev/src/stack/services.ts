import { startAuth } from '@ticketing/auth'
import { startExpiration } from '@ticketing/expiration'
import { startOrders } from '@ticketing/orders'
import { startPayments } from '@ticketing/payments'
import { startTickets } from '@ticketing/tickets'

export type Env = Record<string, string | undefined>
export type RunningService = { url: string; close(): Promise<void> }

/** The marketplace's services as the one-machine run hosts them: app-id, public path prefix, start function. */
export const marketplace: Array<{ appId: string; prefix?: string; start: (env: Env) => Promise<RunningService> }> = [
  { appId: 'auth', prefix: '/api/users', start: startAuth },
  { appId: 'tickets', prefix: '/api/tickets', start: startTickets },
  { appId: 'orders', prefix: '/api/orders', start: startOrders },
  { appId: 'payments', prefix: '/api/payments', start: startPayments },
  { appId: 'expiration', start: startExpiration },
]
