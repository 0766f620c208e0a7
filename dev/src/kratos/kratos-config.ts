import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'

/** The registration web hook as kratos.yml configures it. */
export interface WebHookConfig {
  kind: 'web_hook'
  url: string
  method: string
  apiKey?: { name: string; value: string; in: 'header' | 'cookie' }
  parseResponse: boolean
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
  loginUiUrl: string
  registrationUiUrl: string
  registrationHooks: RegistrationHook[]
  identitySchema: Record<string, unknown>
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Parses Go-style durations such as "1h", "24h", "90m", "1h30m". */
export function parseDuration(value: unknown, fallbackMs: number): number {
  if (typeof value !== 'string') return fallbackMs
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)]
  if (parts.length === 0) return fallbackMs
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (units[unit ?? 'ms'] ?? 1), 0)
}

type Tree = Record<string, any>

function readHooks(raw: unknown, overrides: { webhookUrl?: string; webhookApiKey?: string }): RegistrationHook[] {
  const hooks = Array.isArray(raw) ? (raw as Tree[]) : []
  return hooks.flatMap((hook): RegistrationHook[] => {
    if (hook.hook === 'session') return [{ kind: 'session' }]
    if (hook.hook !== 'web_hook') return []
    const config: Tree = hook.config ?? {}
    const auth: Tree | undefined = config.auth?.type === 'api_key' ? config.auth.config : undefined
    return [
      {
        kind: 'web_hook',
        url: overrides.webhookUrl ?? config.url,
        method: config.method ?? 'POST',
        apiKey: auth && { name: auth.name, value: overrides.webhookApiKey ?? auth.value, in: auth.in ?? 'header' },
        parseResponse: config.response?.parse === true,
        ignoreResponse: config.response?.ignore === true,
      },
    ]
  })
}

/** Reads kratos.yml and the default identity schema from configDir (schema file named by its file:// URL). */
export async function loadKratosSettings(
  configDir: string,
  overrides: { webhookUrl?: string; webhookApiKey?: string; flowLifespanMs?: number } = {},
): Promise<KratosSettings> {
  const config: Tree = parse(await readFile(join(configDir, 'kratos.yml'), 'utf8'))
  const selfservice: Tree = config.selfservice ?? {}
  const flows: Tree = selfservice.flows ?? {}
  const schemas: Tree[] = config.identity?.schemas ?? []
  const defaultId = config.identity?.default_schema_id ?? 'default'
  const schemaUrl: string = schemas.find((s) => s.id === defaultId)?.url ?? 'identity.schema.json'
  const schemaFile = schemaUrl.split('/').pop() ?? 'identity.schema.json'
  const identitySchema = JSON.parse(await readFile(join(configDir, schemaFile), 'utf8'))
  const passwordConfig: Tree = selfservice.methods?.password?.config ?? {}
  return {
    minPasswordLength: passwordConfig.min_password_length ?? 8,
    loginLifespanMs: overrides.flowLifespanMs ?? parseDuration(flows.login?.lifespan, 3_600_000),
    registrationLifespanMs: overrides.flowLifespanMs ?? parseDuration(flows.registration?.lifespan, 3_600_000),
    sessionLifespanMs: parseDuration(config.session?.lifespan, 86_400_000),
    sessionCookieName: config.session?.cookie?.name ?? 'ory_kratos_session',
    defaultReturnUrl: selfservice.default_browser_return_url ?? '/',
    logoutReturnUrl: flows.logout?.after?.default_browser_return_url ?? selfservice.default_browser_return_url ?? '/',
    loginUiUrl: flows.login?.ui_url ?? '/login',
    registrationUiUrl: flows.registration?.ui_url ?? '/registration',
    registrationHooks: readHooks(flows.registration?.after?.password?.hooks, overrides),
    identitySchema,
  }
}
