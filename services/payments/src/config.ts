import { z } from 'zod'
import { baseEnv, daprEnv, ketoEnv, parseEnv } from '@ticketing/shared/platform'

const optional = z.string().trim().min(1).optional()

const stripeEnv = z.object({
  /** Unset: the simulated gateway answers for Stripe's test payment methods. */
  STRIPE_SECRET_KEY: optional,
  /** Unset: the web-hook route answers 503. */
  STRIPE_WEBHOOK_SECRET: optional,
  /** Where the Stripe API is, for stripe-mock; Stripe's own API when unset. */
  STRIPE_API_HOST: optional,
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  CURRENCY: z.string().regex(/^[a-z]{3}$/, 'A three-letter ISO 4217 code in lower case, e.g. usd').default('usd'),
})

const paymentsEnv = baseEnv.extend(daprEnv.shape).extend(ketoEnv.shape).extend(stripeEnv.shape)

/** The payments service's settings; the only reader of the environment. */
export const loadConfig = (env: Record<string, string | undefined>) => parseEnv(paymentsEnv, env)
