import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '../../..')

/**
 * The folder holding the real daprd, placement, scheduler, Kratos and Keto, built by dev/platform/build.sh
 * when they are not there yet (minutes, once per machine); the script prints the folder last.
 */
export function platformBinaries(targets: string[] = ['dapr', 'kratos', 'keto']): string {
  const out = execFileSync('bash', [resolve(repo, 'dev/platform/build.sh'), ...targets], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const dir = out.trim().split('\n').at(-1)
  if (!dir) throw new Error('dev/platform/build.sh printed no folder')
  return dir
}
