import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { repoPath } from './repo'

type Manifest = {
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

/** Where Node would find package `name` from `fromDir`: the nearest node_modules up the tree. */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dirname(dir) === dir) return undefined
  }
}

/**
 * Every package a bundle may take in because a workspace declares `names`: their dependencies,
 * optional dependencies and peers, transitively (a bundler takes an installed optional peer such as
 * debug's supports-color). The shared kernel's optional peers are the exception: those are the
 * heavy clients a service must declare itself when it uses that part.
 * @example dependencyClosure('services/tickets', ['mongodb']) // Set { 'mongodb', 'bson', ... }
 */
export function dependencyClosure(workspaceDir: string, names: string[]): Set<string> {
  const found = new Set<string>()
  const seenDirs = new Set<string>()
  const visit = (name: string, fromDir: string) => {
    const dir = packageDir(name, fromDir)
    if (!dir || seenDirs.has(dir)) return
    seenDirs.add(dir)
    found.add(name)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
    const workspace = !dir.includes('/node_modules/')
    const peers = Object.keys({ ...manifest.peerDependencies, ...manifest.peerDependenciesMeta }).filter((p) => !workspace || !manifest.peerDependenciesMeta?.[p]?.optional)
    for (const next of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}), ...peers]) {
      visit(next, dir)
    }
  }
  for (const name of names) visit(name, repoPath(workspaceDir))
  return found
}
