import { z } from 'zod'

/**
 * Parses the environment once at start-up; on failure throws one readable message listing every bad variable.
 * @example const config = parseEnv(z.object({ PORT: z.coerce.number() }), process.env)
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
}

const originMessage = 'each entry is an origin as a browser sends it: http(s)://host[:port], without a path'

/** One web origin, e.g. `https://tickets.example`, in the form browsers send in the Origin header. */
const webOrigin = z
  .url({ protocol: /^https?$/, error: originMessage, abort: true })
  .refine((value) => {
    const url = new URL(value)
    return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password
  }, originMessage)
  .transform((value) => new URL(value).origin)

/** A comma-separated list of origins; unset or empty is none. */
const originList = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .pipe(z.array(webOrigin))

/** Variables every service reads: where it listens, where Kratos is, where its data lives (MongoDB, or SQLite files under DATA_DIR). */
export const baseEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KRATOS_PUBLIC_URL: z.url(),
  /**
   * The app's own origins (the gateway's or the ingress's URL as browsers see it): the only pages whose
   * cookie-authenticated writes are accepted. Empty: the request's own origin, as the edge forwards it.
   */
  ALLOWED_ORIGINS: originList,
  MONGO_URL: z.string().startsWith('mongodb').optional(),
  DATA_DIR: z.string().min(1).default('.data'),
})

/** Where the service's Dapr sidecar is. */
export const daprEnv = z.object({
  DAPR_HOST: z.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: z.coerce.number().int().positive().default(3500),
  PUBSUB_NAME: z.string().default('pubsub'),
})

/** Keto's read and write APIs. */
export const ketoEnv = z.object({ KETO_READ_URL: z.url(), KETO_WRITE_URL: z.url() })
