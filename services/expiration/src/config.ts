import { z } from 'zod'
import { baseEnv, daprEnv, parseEnv } from '@ticketing/shared/platform'

// No Kratos (no public API) and no MongoDB (its only state lives in Dapr): just where to listen and the sidecar.
const expirationEnv = baseEnv
  .pick({ PORT: true, HOST: true, LOG_LEVEL: true })
  .extend(daprEnv.shape)
  .extend({ STATE_STORE_NAME: z.string().min(1).default('statestore') })

/** The expiration service's settings; the only reader of the environment. */
export const loadConfig = (env: Record<string, string | undefined>) => parseEnv(expirationEnv, env)
