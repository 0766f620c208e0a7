import { existsSync } from 'node:fs'
import { startLocalStack } from './stack'
import { ensureWebBuild } from './stack/web-build'

// `npm start`: the whole marketplace on this machine, no Docker, no accounts.
if (existsSync('.env')) process.loadEnvFile('.env')
const port = Number(process.env.PORT ?? 8080)
// The gateway serves web/dist, so it must be current before the gateway starts.
if (await ensureWebBuild()) console.log('  Built the web app (web/dist)')
const stack = await startLocalStack({ port, env: process.env })
console.log(`\n  Ticketing is running at ${stack.url}\n  (Ctrl+C to stop)\n`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stack.close().then(() => process.exit(0)))
}
