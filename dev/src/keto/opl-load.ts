import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Namespace, Namespaces } from './opl-ast'
import { OplError } from './opl-error'

const repo = resolve(import.meta.dirname, '../../..')
// A file parsed once per process while it is unchanged: test runs start many stand-ins on the same OPL.
const parsed = new Map<string, Promise<Namespaces>>()

/**
 * Parses an OPL file like loadNamespaces, in a short-lived process of its own: the parser is the TypeScript
 * compiler, which would otherwise stay resident (about 115 MiB) in every process that runs the stand-in.
 * @example const namespaces = await loadNamespacesApart('ory/keto/namespaces.keto.ts')
 */
export function loadNamespacesApart(oplPath: string): Promise<Namespaces> {
  const { mtimeMs, size } = statSync(oplPath)
  const key = JSON.stringify([resolve(oplPath), mtimeMs, size])
  let namespaces = parsed.get(key)
  if (!namespaces) {
    namespaces = parseApart(oplPath)
    parsed.set(key, namespaces)
    // A failure is not kept: the file may be fixed before the next start.
    namespaces.catch(() => parsed.delete(key))
  }
  return namespaces
}

function parseApart(oplPath: string): Promise<Namespaces> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'opl-child.ts'), resolve(oplPath)],
      { cwd: repo, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error) return fail(error.code === 2 ? new OplError(stderr.trim()) : new Error(`parsing ${oplPath} failed: ${stderr || error.message}`))
        const namespaces = JSON.parse(stdout) as Namespace[]
        done(new Map(namespaces.map((namespace) => [namespace.name, namespace])))
      },
    )
  })
}
