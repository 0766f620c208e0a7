import { z } from 'zod'
import { baseEnv, daprEnv, ketoEnv, parseEnv } from '@ticketing/shared/platform'

const ordersEnv = baseEnv
  .extend(daprEnv.shape)
  .extend(ketoEnv.shape)
  .extend({ EXPIRATION_WINDOW_SECONDS: z.coerce.number().int().positive().default(900) })

/** The orders service's settings; the only reader of the environment. */
export const loadConfig = (env: Record<string, string | undefined>) => parseEnv(ordersEnv, env)
