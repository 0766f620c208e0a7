import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { parseEnv, runUntilSignal } from '@ticketing/shared/platform'
import { ensureWebBuild } from '../stack/web-build'
import { platformBinaries } from './binaries'
import { startPlatformStack } from './platform-stack'

// `npm run start:platform`: the marketplace on real daprd (+ placement and scheduler), Kratos and Keto, over
// this machine's RabbitMQ (or Redis Streams), Redis and PostgreSQL. A lasting run: its vhost, Redis
// database 0, PostgreSQL databases and DATA_DIR are found again on the next start.
if (existsSync('.env')) process.loadEnvFile('.env')
const { PORT, DATA_DIR, PLATFORM_PUBSUB } = parseEnv(
  z.object({
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    DATA_DIR: z.string().min(1).default('.data/platform'),
    PLATFORM_PUBSUB: z.enum(['rabbitmq', 'redis']).default('rabbitmq'),
  }),
  process.env,
)

/** Kratos's secret and the web hook's key, made once and kept beside the data, so sessions outlive a restart. */
function lastingSecrets(dir: string) {
  const file = join(dir, 'secrets.json')
  if (existsSync(file)) return z.object({ KRATOS_SECRET: z.string().min(32), WEBHOOK_API_KEY: z.string().min(16) }).parse(JSON.parse(readFileSync(file, 'utf8')))
  const secrets = { KRATOS_SECRET: randomBytes(32).toString('base64url'), WEBHOOK_API_KEY: randomBytes(24).toString('base64url') }
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 })
  return secrets
}

await runUntilSignal(async () => {
  if (await ensureWebBuild()) console.log('  Built the web app (web/dist)')
  const bin = platformBinaries()
  const dataDir = resolve(DATA_DIR)
  const env = { ...lastingSecrets(dataDir), ...process.env }
  const stack = await startPlatformStack({ bin, pubsub: PLATFORM_PUBSUB, env, port: PORT, name: 'platform', dataDir })
  console.log(`\n  Ticketing is running on real daprd, Kratos and Keto at ${stack.url} (pub/sub: ${PLATFORM_PUBSUB})`)
  console.log(`  Data: ${dataDir}, RabbitMQ vhost ticketing_platform, PostgreSQL databases ticketing_platform_*; logs in ${stack.logDir}\n  (Ctrl+C to stop)\n`)
  return stack
})
