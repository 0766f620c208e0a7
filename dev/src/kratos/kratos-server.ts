import { fileURLToPath } from 'node:url'
import { listen, type LogSink, type RunningServer } from '@ticketing/shared/platform'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import { createCsrf } from './csrf'
import { compileIdentitySchema } from './identity-schema'
import { createKratosApp } from './kratos-app'
import { loadKratosSettings } from './kratos-config'
import { createKratosStore } from './store'

export interface StartKratosOptions {
  /** 0 picks a free port. */
  port?: number
  /** What ui.action and logout URLs start with, e.g. http://127.0.0.1:8080/.ory behind the gateway; default the server's own URL. */
  publicBaseUrl?: string
  /** Folder with kratos.yml and identity.schema.json; default <repo>/ory/kratos. */
  configDir?: string
  /** Overrides the web hook URL (SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS_0_CONFIG_URL in real Kratos). */
  webhookUrl?: string
  /** Overrides the web hook's API key value. */
  webhookApiKey?: string
  /** First retry delay of the web hook client (doubles per retry); Kratos waits 1 s. */
  webhookRetryWaitMs?: number
  webhookTimeoutMs?: number
  logger?: LogSink
  /** The clock flows and sessions expire by; tests move it forward instead of waiting. */
  now?: () => Date
  /** Where identities, sessions and flows live; the caller closes it. Default: a fresh in-memory database, closed with the server. */
  db?: DatabaseSync
}

export type RunningKratos = RunningServer

const defaultConfigDir = fileURLToPath(new URL('../../../ory/kratos', import.meta.url))
const silent: LogSink = { info: () => {}, warn: () => {}, error: () => {} }

/** Starts the local Kratos stand-in on 127.0.0.1, keeping identities, sessions and flows in SQLite. */
export async function startKratos(options: StartKratosOptions = {}): Promise<RunningKratos> {
  const settings = await loadKratosSettings(options.configDir ?? defaultConfigDir, options)
  const now = options.now ?? (() => new Date())
  const schema = compileIdentitySchema(settings.identitySchema)
  const db = options.db ?? openSqlite(':memory:')
  const closeOwnDb = () => {
    if (!options.db) db.close()
  }
  const deps = {
    settings,
    schema,
    store: createKratosStore(db, now),
    csrf: createCsrf(''),
    publicBaseUrl: '',
    now,
    logger: options.logger ?? silent,
    webhookRetryWaitMs: options.webhookRetryWaitMs ?? 1000,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 30_000,
  }
  const server = await listen(createKratosApp(deps), { port: options.port ?? 0 }).catch((error: unknown) => {
    closeOwnDb()
    throw error
  })
  deps.publicBaseUrl = (options.publicBaseUrl ?? server.url).replace(/\/+$/, '')
  // Kratos hashes its public URL (with the trailing slash) to name the CSRF cookie. The cookie's value is a
  // random secret the browser keeps and the flow row remembers, so the same URL finds it again after a restart.
  deps.csrf = createCsrf(`${deps.publicBaseUrl}/`)
  return {
    ...server,
    close: async () => {
      await server.close()
      closeOwnDb()
    },
  }
}
