import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { parseEnv } from '@ticketing/shared/platform'

// `npm run reset`: the marketplace starts afresh. Only the SQLite files the run wrote are removed (and the
// folder, once empty), so a DATA_DIR pointed somewhere else by mistake loses nothing of its own.
if (existsSync('.env')) process.loadEnvFile('.env')
const { DATA_DIR } = parseEnv(z.object({ DATA_DIR: z.string().min(1).default('.data') }), process.env)
const dir = resolve(DATA_DIR)

if (DATA_DIR === ':memory:' || !existsSync(dir)) {
  console.log(`  Nothing to reset: ${DATA_DIR} holds no data.`)
} else {
  const ours = readdirSync(dir).filter((name) => /\.db(-wal|-shm|-journal)?$/.test(name))
  for (const name of ours) rmSync(join(dir, name))
  if (readdirSync(dir).length === 0) rmdirSync(dir)
  console.log(`  Removed ${ours.length} data files from ${dir}. The next \`npm start\` begins with an empty marketplace.`)
}
