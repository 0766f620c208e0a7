import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, parseAllDocuments } from 'yaml'

/** Absolute path of the repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Absolute path of a repository file. */
export const repoPath = (...parts: string[]) => join(repoRoot, ...parts)

/** Text of a repository file. */
export const readText = (...parts: string[]) => readFileSync(repoPath(...parts), 'utf8')

/** One YAML document of a repository file, unchecked: callers state the shape they read. */
export const readYaml = (...parts: string[]): unknown => parse(readText(...parts))

/** Every YAML document of a text, empty documents left out; throws on the first syntax error. */
export function parseDocuments(text: string, source = 'input'): unknown[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`)
    const value: unknown = doc.toJS()
    return value == null ? [] : [value]
  })
}

/** Folders under services/ that hold a service (shared is the library, not a service). */
export function serviceFolders(): string[] {
  return readdirSync(repoPath('services'))
    .filter((name) => name !== 'shared' && statSync(repoPath('services', name)).isDirectory())
    .sort()
}

/** Repository-relative paths of the files under a folder whose names end with one of the suffixes. */
export function filesUnder(folder: string, suffixes: string[], skip: string[] = []): string[] {
  const root = repoPath(folder)
  if (!existsSync(root)) return []
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      const rel = relative(repoRoot, full)
      if (skip.some((s) => rel.startsWith(s))) continue
      if (entry.isDirectory()) walk(full)
      else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(rel)
    }
  }
  walk(root)
  return found.sort()
}
