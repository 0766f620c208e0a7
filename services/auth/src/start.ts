import { openStorage } from '@ticketing/shared/storage'
import { kratosIdentify } from '@ticketing/shared/auth'
import { runService } from '@ticketing/shared/platform'
import { createApp } from './app'
import { loadConfig } from './config'
import { createMongoUsersStore } from './storage/users.mongo'
import { createSqliteUsersStore } from './storage/users.sqlite'

/** Composition root: config → clients → app → server. Resolves once the service listens. */
export async function startAuth(env: Record<string, string | undefined>) {
  const config = loadConfig(env)
  return runService({
    name: 'auth',
    config,
    build: async ({ logger }) => {
      const storage = await openStorage('auth', config)
      const app = createApp({
        store: storage.kind === 'mongodb' ? await createMongoUsersStore(storage.db) : createSqliteUsersStore(storage.db),
        identify: kratosIdentify({ kratosPublicUrl: config.KRATOS_PUBLIC_URL }),
        allowedOrigins: config.ALLOWED_ORIGINS,
        logger,
        webhookApiKey: config.WEBHOOK_API_KEY,
        clock: () => new Date(),
      })
      return { app, close: storage.close, details: { storage: storage.where } }
    },
  })
}
