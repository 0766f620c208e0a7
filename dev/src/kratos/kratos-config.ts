import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { parseDuration } from '../dapr/due-time'
import { parseAllowedReturnUrls, type AllowedReturnUrl } from './return-to'

/** The registration web hook as kratos.yml configures it. */
export interface WebHookConfig {
  kind: 'web_hook'
  url: string
  method: string
  apiKey?: { name: string; value: string; in: 'header' | 'cookie' }
  /** `response.ignore: true`: the call runs in the background and its failures are only logged. */
  ignoreResponse: boolean
}

export type RegistrationHook = WebHookConfig | { kind: 'session' }

/** The part of kratos.yml and the identity schema the stand-in honours. */
export interface KratosSettings {
  minPasswordLength: number
  loginLifespanMs: number
  registrationLifespanMs: number
  sessionLifespanMs: number
  sessionCookieName: string
  defaultReturnUrl: string
  logoutReturnUrl: string
  /** `selfservice.allowed_return_urls`: where a `return_to` may point. */
  allowedReturnUrls: AllowedReturnUrl[]
  loginUiUrl: string
  registrationUiUrl: string
  registrationHooks: RegistrationHook[]
  identitySchema: Record<string, unknown>
}

const hooksPath = 'selfservice.flows.registration.after.password.hooks'
const unsupported = (what: string) => `${what} is not supported by the local Kratos stand-in`

// Kratos's config schema for these hooks, narrowed to what the stand-in runs; anything else stops start-up.
const webHookSchema = z.strictObject({
  hook: z.literal('web_hook'),
  config: z.strictObject({
    id: z.string().optional(),
    url: z.url(),
    method: z.string().min(1),
    // The Jsonnet template: the stand-in builds the same body in TypeScript (see webhook.ts).
    body: z.string().optional(),
    emit_analytics_event: z.boolean().optional(),
    can_interrupt: z.literal(false, { error: unsupported('can_interrupt: true') }).optional(),
    auth: z
      .strictObject({
        type: z.literal('api_key', { error: unsupported('auth types other than api_key') }),
        config: z.strictObject({ name: z.string().min(1), value: z.string(), in: z.enum(['header', 'cookie']) }),
      })
      .optional(),
    response: z
      .strictObject({
        ignore: z.boolean().default(false),
        parse: z.literal(false, { error: unsupported('response.parse: true (a hook before the identity is saved)') }).default(false),
      })
      .optional(),
  }),
})
// A missing or non-scalar `hook` is named "undefined" in the error.
const namedHookSchema = z.object({ hook: z.union([z.string(), z.number(), z.boolean()]) })

function hookName(input: unknown): string {
  const named = namedHookSchema.safeParse(input)
  return String(named.success ? named.data.hook : undefined)
}

const hooksSchema = z
  .array(
    z.discriminatedUnion('hook', [webHookSchema, z.strictObject({ hook: z.literal('session') })], {
      error: (issue) => (issue.code === 'invalid_union' ? unsupported(`hook "${hookName(issue.input)}"`) : undefined),
    }),
  )
  .default([])

// Just enough of a web hook to replace its URL; validation proper is hooksSchema's job.
const overridableHookSchema = z.looseObject({ hook: z.literal('web_hook'), config: z.looseObject({}).optional() })

function withUrlOverride(hook: unknown, url: string | undefined): unknown {
  const webHook = overridableHookSchema.safeParse(hook)
  return url && webHook.success ? { ...webHook.data, config: { ...webHook.data.config, url } } : hook
}

const problemsIn = (error: z.ZodError, prefix: PropertyKey[] = []) =>
  error.issues.map((issue) => `${[...prefix, ...issue.path].map(String).join('.')}: ${issue.message}`).join('; ')

function readHooks(raw: unknown, overrides: { webhookUrl?: string; webhookApiKey?: string }): RegistrationHook[] {
  // The overrides stand for Kratos's environment variables, which replace the file's values before validation.
  const withOverrides = Array.isArray(raw) ? raw.map((hook: unknown) => withUrlOverride(hook, overrides.webhookUrl)) : raw
  const parsed = hooksSchema.safeParse(withOverrides)
  if (!parsed.success) throw new Error(`kratos.yml: ${problemsIn(parsed.error, [hooksPath])}`)
  return parsed.data.map((hook): RegistrationHook => {
    if (hook.hook === 'session') return { kind: 'session' }
    const { url, method, auth, response } = hook.config
    return {
      kind: 'web_hook',
      url,
      method,
      apiKey: auth && { ...auth.config, value: overrides.webhookApiKey ?? auth.config.value },
      ignoreResponse: response?.ignore ?? false,
    }
  })
}

/** A Go duration from kratos.yml, or the fallback when the key is absent; junk stops start-up. */
function durationMs(value: string | number | null | undefined, fallbackMs: number, key: string): number {
  if (value === undefined || value === null) return fallbackMs
  try {
    return parseDuration(String(value))
  } catch (error) {
    throw new Error(`kratos.yml: ${key}: ${(error as Error).message}`, { cause: error })
  }
}

// The keys of kratos.yml the stand-in reads. Every one may be absent or empty (YAML null) and then
// takes Kratos's default; other keys are Kratos's business and pass untouched.
const section = <Shape extends z.ZodRawShape>(shape: Shape) => z.looseObject(shape).nullish()
const text = z.string().nullish()
const lifespan = z.union([z.string(), z.number()]).nullish()
const kratosYmlSchema = z.looseObject({
  serve: section({ public: section({ base_url: text }) }),
  selfservice: section({
    default_browser_return_url: text,
    allowed_return_urls: z.array(z.string()).nullish(),
    methods: section({ password: section({ config: section({ min_password_length: z.number().nullish() }) }) }),
    flows: section({
      login: section({ ui_url: text, lifespan }),
      registration: section({ ui_url: text, lifespan, after: section({ password: section({ hooks: z.unknown().optional() }) }) }),
      logout: section({ after: section({ default_browser_return_url: text }) }),
    }),
  }),
  session: section({ lifespan, cookie: section({ name: text }) }),
  identity: section({
    default_schema_id: text,
    schemas: z.array(z.looseObject({ id: z.unknown().optional(), url: text })).nullish(),
  }),
})
// The identity schema is served as read (GET /schemas/{id}); compileIdentitySchema checks the keys it uses.
const jsonObjectSchema = z.record(z.string(), z.unknown())

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Moves the app's URLs in kratos.yml (written for the app on serve.public.base_url's origin) to the
 * origin the stand-in is really served on, as the environment variables of a real Kratos would
 * (SERVE_PUBLIC_BASE_URL, SELFSERVICE_DEFAULT_BROWSER_RETURN_URL, ...): `PORT=3000 npm start` must
 * not send browsers to :8080. A loopback alias on the same port (localhost for 127.0.0.1) moves too.
 */
function rebaser(configuredBaseUrl: string | null | undefined, publicBaseUrl: string | undefined): (url: string) => string {
  if (!configuredBaseUrl || !publicBaseUrl || !URL.canParse(configuredBaseUrl) || !URL.canParse(publicBaseUrl)) return (url) => url
  const from = new URL(configuredBaseUrl)
  const to = new URL(publicBaseUrl)
  if (from.origin === to.origin) return (url) => url
  const aliases = loopback.has(from.hostname) && loopback.has(to.hostname)
  return (url) => {
    if (!URL.canParse(url)) return url
    const moved = new URL(url)
    if (moved.protocol !== from.protocol || moved.port !== from.port) return url
    if (moved.hostname === from.hostname) moved.host = to.host
    else if (aliases && loopback.has(moved.hostname)) moved.port = to.port
    else return url
    moved.protocol = to.protocol
    return moved.href
  }
}

/** Reads kratos.yml and the default identity schema from configDir (schema file named by its file:// URL). */
export async function loadKratosSettings(
  configDir: string,
  overrides: { webhookUrl?: string; webhookApiKey?: string; publicBaseUrl?: string } = {},
): Promise<KratosSettings> {
  const parsedConfig = kratosYmlSchema.safeParse(parse(await readFile(join(configDir, 'kratos.yml'), 'utf8')))
  if (!parsedConfig.success) throw new Error(`kratos.yml: ${problemsIn(parsedConfig.error)}`)
  const config = parsedConfig.data
  const selfservice = config.selfservice ?? {}
  const flows = selfservice.flows ?? {}
  const schemas = config.identity?.schemas ?? []
  const defaultId = config.identity?.default_schema_id ?? 'default'
  const schemaUrl = schemas.find((s) => s.id === defaultId)?.url ?? 'identity.schema.json'
  const schemaFile = schemaUrl.split('/').pop() ?? 'identity.schema.json'
  const identitySchema = jsonObjectSchema.safeParse(JSON.parse(await readFile(join(configDir, schemaFile), 'utf8')))
  if (!identitySchema.success) throw new Error(`${schemaFile}: the identity schema must be a JSON object`)
  const passwordConfig = selfservice.methods?.password?.config ?? {}
  const rebase = rebaser(config.serve?.public?.base_url, overrides.publicBaseUrl)
  return {
    minPasswordLength: passwordConfig.min_password_length ?? 8,
    loginLifespanMs: durationMs(flows.login?.lifespan, 3_600_000, 'selfservice.flows.login.lifespan'),
    registrationLifespanMs: durationMs(flows.registration?.lifespan, 3_600_000, 'selfservice.flows.registration.lifespan'),
    sessionLifespanMs: durationMs(config.session?.lifespan, 86_400_000, 'session.lifespan'),
    sessionCookieName: config.session?.cookie?.name ?? 'ory_kratos_session',
    defaultReturnUrl: rebase(selfservice.default_browser_return_url ?? '/'),
    logoutReturnUrl: rebase(flows.logout?.after?.default_browser_return_url ?? selfservice.default_browser_return_url ?? '/'),
    allowedReturnUrls: parseAllowedReturnUrls((selfservice.allowed_return_urls ?? []).map(rebase)),
    loginUiUrl: rebase(flows.login?.ui_url ?? '/login'),
    registrationUiUrl: rebase(flows.registration?.ui_url ?? '/registration'),
    registrationHooks: readHooks(flows.registration?.after?.password?.hooks, overrides),
    identitySchema: identitySchema.data,
  }
}
