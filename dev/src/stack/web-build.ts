import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const webRoot = resolve(import.meta.dirname, '../../../web')
const distIndex = join(webRoot, 'dist/index.html')

function newestChange(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs)
}

/** True when web/dist is missing or older than the app's sources. */
function webBuildIsStale(): boolean {
  if (!existsSync(distIndex)) return true
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(webRoot, name)).filter(existsSync)
  return Math.max(...sources.map(newestChange)) > statSync(distIndex).mtimeMs
}

/**
 * Builds the Vue app into web/dist with Vite when it is stale; answers whether it built.
 * @example await ensureWebBuild() // before the gateway starts serving web/dist
 */
export async function ensureWebBuild(): Promise<boolean> {
  if (!webBuildIsStale()) return false
  // Loaded only when needed: Vite is a build tool, not part of serving.
  const { build } = await import('vite')
  await build({ root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn', mode: 'production' })
  return true
}
