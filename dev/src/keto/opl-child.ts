import { readFileSync } from 'node:fs'
import { loadNamespaces } from './opl-parser'
import { OplError } from './opl-source'

// Run by loadNamespacesApart in a process of its own: parses the OPL file named by the first argument and
// prints its namespaces as JSON; an OPL the stand-in cannot accept exits 2 with the reason.
const file = process.argv[2] ?? ''
try {
  process.stdout.write(JSON.stringify([...loadNamespaces(readFileSync(file, 'utf8'), file).values()]))
} catch (error) {
  if (!(error instanceof OplError)) throw error
  process.stderr.write(error.message)
  process.exitCode = 2
}
