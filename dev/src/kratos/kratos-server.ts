import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createCsrf } from './csrf'
import { compileIdentitySchema } from './identity-schema'
import { createKratosApp } from './kratos-app'
import { loadKratosSettings } from './kratos-config'
import type { KratosLogger } from './kratos-deps'
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
  flowLifespanMs?: number
  /** First retry delay of the web hook client (doubles per retry); Kratos waits 1 s. */
  webhookRetryWaitMs?: number
  webhookTimeoutMs?: number
  logger?: KratosLogger
}

export interface RunningKratos {
  url: string
  port: number
  close(): Promise<void>
}

const defaultConfigDir = fileURLToPath(new URL('../../../ory/kratos', import.meta.url))
const silent: KratosLogger = { info: () => {}, warn: () => {}, error: () => {} }

/** Starts the local Kratos stand-in on 127.0.0.1 with in-memory identities and sessions. */
export async function startKratos(options: StartKratosOptions = {}): Promise<RunningKratos> {
  const settings = await loadKratosSettings(options.configDir ?? defaultConfigDir, options)
  const deps = {
    settings,
    schema: compileIdentitySchema(settings.identitySchema),
    store: createKratosStore(),
    csrf: createCsrf(''),
    publicBaseUrl: '',
    now: () => new Date(),
    logger: options.logger ?? silent,
    webhookRetryWaitMs: options.webhookRetryWaitMs ?? 1000,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 30_000,
  }
  const app = createKratosApp(deps)
  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const url = `http://127.0.0.1:${port}`
  deps.publicBaseUrl = (options.publicBaseUrl ?? url).replace(/\/+$/, '')
  // Kratos hashes its public URL (with the trailing slash) to name the CSRF cookie.
  deps.csrf = createCsrf(`${deps.publicBaseUrl}/`)
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        // Idle keep-alive sockets would otherwise hold close() open.
        if ('closeIdleConnections' in server) server.closeIdleConnections()
      }),
  }
}
