import { baseEnv, daprEnv, ketoEnv, parseEnv } from '@ticketing/shared/platform'

const ticketsEnv = baseEnv.extend(daprEnv.shape).extend(ketoEnv.shape)

/** The tickets service's settings; the only reader of the environment. */
export const loadConfig = (env: Record<string, string | undefined>) => parseEnv(ticketsEnv, env)
