import { baseEnv, parseEnv } from '@ticketing/shared/platform'

const ticketsEnv = baseEnv.extend({})

export type Config = ReturnType<typeof loadConfig>

/** The tickets service's settings; the only reader of the environment. */
export const loadConfig = (env: Record<string, string | undefined>) => parseEnv(ticketsEnv, env)
