import type ts from 'typescript'
import type { Namespaces } from './opl-ast'
import { oplError } from './opl-source'

type Check = (namespaces: Namespaces) => string | undefined

/** Keto's deferred OPL type checks (internal/schema/typechecks.go), run once every class is parsed. */
export interface TypeChecks {
  namespaceExists(node: ts.Node, namespace: string): void
  hasRelation(node: ts.Node, namespace: string, relation: string): void
  /** Every subject type of `namespace#relation` declares `computedRelation` (what traverse relies on). */
  allTypesHaveRelation(node: ts.Node, namespace: string, relation: string, computedRelation: string): void
  /** Throws the first failure as an OplError. */
  run(namespaces: Namespaces): void
}

const MAX_SUBJECT_SET_NESTING = 10

/** Collects checks for one OPL source file. */
export function createTypeChecks(sourceFile: ts.SourceFile): TypeChecks {
  const checks: Array<{ node: ts.Node; check: Check }> = []
  const add = (node: ts.Node, check: Check) => checks.push({ node, check })

  return {
    namespaceExists(node, namespace) {
      add(node, (all) => (all.has(namespace) ? undefined : `namespace "${namespace}" was not declared`))
    },
    hasRelation(node, namespace, relation) {
      add(node, (all) => missingRelation(all, namespace, relation))
    },
    allTypesHaveRelation(node, namespace, relation, computedRelation) {
      add(node, (all) => missingOnTypes(all, namespace, relation, computedRelation, MAX_SUBJECT_SET_NESTING))
    },
    run(namespaces) {
      for (const { node, check } of checks) {
        const problem = check(namespaces)
        if (problem) throw oplError(sourceFile, node, problem)
      }
    },
  }
}

function missingRelation(all: Namespaces, namespace: string, relation: string): string | undefined {
  const found = all.get(namespace)
  if (!found) return `namespace "${namespace}" was not declared`
  return found.relations.some((r) => r.name === relation)
    ? undefined
    : `namespace "${namespace}" did not declare relation "${relation}"`
}

function missingOnTypes(all: Namespaces, namespace: string, relation: string, computed: string, depth: number): string | undefined {
  if (depth < 0) return 'could not typecheck deeply nested SubjectSet further'
  const declared = all.get(namespace)?.relations.find((r) => r.name === relation)
  if (!declared) return `relation "${relation}" was not declared in namespace "${namespace}"`
  for (const type of declared.types) {
    const problem = type.relation
      ? missingOnTypes(all, type.namespace, type.relation, computed, depth - 1)
      : all.get(type.namespace)?.relations.some((r) => r.name === computed)
        ? undefined
        : `relation "${computed}" was not declared in namespace "${type.namespace}"`
    if (problem) return problem
  }
  return undefined
}
