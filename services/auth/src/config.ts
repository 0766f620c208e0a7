import { z } from 'zod'
import { baseEnv, parseEnv } from '@ticketing/shared/platform'

const authEnv = baseEnv.extend({
  WEBHOOK_API_KEY: z.string().min(16, 'use at least 16 random characters'),
})

/** The auth service's settings; the only reader of the environment. */
export const loadConfig = (env: Record<string, string | undefined>) => parseEnv(authEnv, env)
