import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { parseEnv, runUntilSignal } from '@ticketing/shared/platform'
import { startLocalStack } from './stack'
import { ensureWebBuild } from './stack/web-build'

// `npm start`: the whole marketplace on this machine, no Docker, no accounts.
if (existsSync('.env')) process.loadEnvFile('.env')
const { PORT, DATA_DIR } = parseEnv(
  z.object({ PORT: z.coerce.number().int().min(1).max(65535).default(8080), DATA_DIR: z.string().min(1).default('.data') }),
  process.env,
)

await runUntilSignal(async () => {
  // The gateway serves web/dist, so it must be current before the gateway starts.
  if (await ensureWebBuild()) console.log('  Built the web app (web/dist)')
  const stack = await startLocalStack({ port: PORT, dataDir: DATA_DIR, env: process.env })
  const where = DATA_DIR === ':memory:' ? 'in memory (DATA_DIR=:memory:), gone when this stops' : `in ${resolve(DATA_DIR)} (npm run reset starts afresh)`
  console.log(`\n  Ticketing is running at ${stack.url}\n  It keeps every account, ticket, order and event ${where}.\n  (Ctrl+C to stop)\n`)
  return stack
})
