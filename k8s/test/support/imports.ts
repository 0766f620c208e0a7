import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import ts from 'typescript'
import { filesUnder, repoPath } from './repo'

/** A workspace of the repository: where its package.json is and which folders hold its code. */
export type Workspace = { name: string; dir: string; folders: string[] }

/** Every workspace; the root one owns the repository-wide tests, benchmarks and tooling. */
export const workspaces: Workspace[] = [
  ...['auth', 'expiration', 'orders', 'payments', 'shared', 'tickets'].map((s) => ({ name: s, dir: `services/${s}`, folders: [`services/${s}`] })),
  { name: 'web', dir: 'web', folders: ['web'] },
  { name: 'dev', dir: 'dev', folders: ['dev'] },
  { name: 'root', dir: '.', folders: ['test', 'k8s/test', 'k8s/image', 'bench', 'vitest.config.ts', 'eslint.config.js', 'scripts'] },
]

const builtins = new Set(builtinModules)

/** The package a bare import specifier names (`@scope/name`, `name`), or undefined for relative and built-in ones. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtins.has(specifier)) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Test code: its imports are development dependencies. */
export const isTestFile = (file: string) =>
  /\.test\.ts$/.test(file) || /(^|\/)(test|testing)\//.test(file) || file.endsWith('vitest.config.ts') || file.endsWith('vite.config.ts') || file.endsWith('eslint.config.js')

function scriptOf(file: string): string {
  const text = readFileSync(repoPath(file), 'utf8')
  if (!file.endsWith('.vue')) return text
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
}

/** The packages a workspace's files import, split into what its shipped code needs and what only its tests do. */
export function importsOf(workspace: Workspace): { runtime: Set<string>; test: Set<string> } {
  const runtime = new Set<string>()
  const test = new Set<string>()
  const files = workspace.folders.flatMap((folder) =>
    folder.includes('.') ? (existsSync(repoPath(folder)) ? [folder] : []) : filesUnder(folder, ['.ts', '.vue', '.js'], [`${folder}/node_modules`, `${folder}/dist`, `${folder}/bin`]),
  )
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(scriptOf(file), true, false)
    for (const { fileName } of importedFiles) {
      const name = packageOf(fileName)
      if (name) (isTestFile(file) ? test : runtime).add(name)
    }
  }
  for (const name of runtime) test.delete(name)
  return { runtime, test }
}

/** The fields of a package.json the checks read. */
export type Manifest = {
  name: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** A workspace's package.json. */
export function manifestOf(workspace: Workspace): Manifest {
  return JSON.parse(readFileSync(repoPath(workspace.dir, 'package.json'), 'utf8')) as Manifest
}
