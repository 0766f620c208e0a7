import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Makes sure a server the tests need is built (Go is on every machine of this project). Returns false
 * on a laptop without Go, after a loud warning, so its tests skip; under CI a missing tool is a failure.
 */
export function ensureGoTool(options: { binary: string; goArgs: string[]; cwd?: string; env?: Record<string, string>; what: string }): boolean {
  if (existsSync(options.binary)) return true
  const go = spawnSync('go', options.goArgs, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: 'inherit' })
  if (!go.error && go.status === 0) return true
  if (process.env.CI) throw new Error(`cannot build ${options.what}: is Go installed?`)
  console.warn(`SKIPPING the tests that need ${options.what}: Go is missing, so it cannot be built`)
  return false
}
