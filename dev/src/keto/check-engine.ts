import type { InvertResult, Namespaces, Relation, SubjectSetRewrite, TupleToSubjectSet } from './opl-ast'
import { badRequest } from './keto-errors'
import type { RelationTuple, SubjectSet } from './relation-tuple'
import type { TupleStore } from './tuple-store'

/** Keto's three-valued answer; `unknown` means the depth ran out before an answer was found. */
type Membership = 'member' | 'not-member' | 'unknown'

export interface CheckEngine {
  /** Whether the tuple's subject holds its relation; `requestDepth` ≤ 0 means the global maximum. */
  check(tuple: RelationTuple, requestDepth?: number): boolean
}

/**
 * Evaluates checks the way Keto v25/v26 does (internal/check, non-strict mode): a relation
 * holds through a direct tuple, through subject-set expansion, or through the permit's
 * rewrite; every hop spends depth, and running out of depth is "unknown", i.e. not allowed.
 */
export function createCheckEngine(namespaces: Namespaces, store: TupleStore, maxDepth: number): CheckEngine {
  const relationFor = (namespace: string, relation: string): Relation | undefined => {
    const declared = namespaces.get(namespace)
    if (relation === '' || !declared || declared.relations.length === 0) return undefined
    const found = declared.relations.find((r) => r.name === relation)
    if (!found) throw badRequest(undefined, `relation "${relation}" does not exist`)
    return found
  }
  const subjectOf = (t: RelationTuple) => (t.subject_set ? { subject_set: t.subject_set } : { subject_id: t.subject_id })
  const onObject = (set: SubjectSet, relation: string, t: RelationTuple): RelationTuple => ({
    namespace: set.namespace,
    object: set.object,
    relation,
    ...subjectOf(t),
  })
  const subjectSets = (t: RelationTuple, relation: string): SubjectSet[] =>
    store.query({ namespace: t.namespace, object: t.object, relation }).flatMap((s) => (s.subject_set ? [s.subject_set] : []))

  function isAllowed(t: RelationTuple, depth: number, skipDirect: boolean, visited: ReadonlySet<string>): Membership {
    if (depth <= 0) return 'unknown'
    const relation = relationFor(t.namespace, t.relation)
    if (relation?.rewrite && rewrite(t, relation.rewrite, depth, visited) === 'member') return 'member'
    if (!skipDirect && depth - 1 > 0 && store.exists(t)) return 'member'
    return expand(t, depth - 1, visited)
  }

  /** Subject-set expansion: `ns:obj#rel@(set)` grants rel to every member of the set. */
  function expand(t: RelationTuple, depth: number, visited: ReadonlySet<string>): Membership {
    if (depth <= 0) return 'unknown'
    const sets = subjectSets(t, t.relation)
    if (sets.some((set) => store.exists(onObject(set, set.relation, t)))) return 'member'
    for (const set of sets) {
      const key = JSON.stringify(set)
      if (visited.has(key)) continue
      if (isAllowed(onObject(set, set.relation, t), depth, true, new Set([...visited, key])) === 'member') return 'member'
    }
    return 'not-member'
  }

  function rewrite(t: RelationTuple, node: SubjectSetRewrite, depth: number, visited: ReadonlySet<string>): Membership {
    if (depth <= 0) return 'unknown'
    const checks: Array<() => Membership> = []
    let children = node.children
    if (node.operator === 'or') {
      // Keto answers the computed relations of an `or` together: one direct lookup, then one hop each.
      const computed = children.flatMap((c) => (c.kind === 'computed' ? [c.relation] : []))
      children = children.filter((c) => c.kind !== 'computed')
      if (computed.length > 0)
        checks.push(() => {
          if (computed.some((relation) => store.exists({ ...t, relation }))) return 'member'
          const hop = (relation: string) => isAllowed({ ...t, relation }, depth - 1, true, visited) === 'member'
          return computed.some(hop) ? 'member' : 'not-member'
        })
    }
    for (const child of children) {
      if (child.kind === 'computed') checks.push(() => isAllowed({ ...t, relation: child.relation }, depth, false, visited))
      if (child.kind === 'traverse') checks.push(() => traverse(t, child, depth, visited))
      if (child.kind === 'rewrite') checks.push(() => rewrite(t, child, depth - 1, visited))
      if (child.kind === 'not') checks.push(() => invert(t, child, depth, visited))
    }
    if (node.operator === 'or') return checks.some((run) => run() === 'member') ? 'member' : 'not-member'
    return checks.length > 0 && checks.every((run) => run() === 'member') ? 'member' : 'not-member'
  }

  function invert(t: RelationTuple, node: InvertResult, depth: number, visited: ReadonlySet<string>): Membership {
    if (depth < 0) return 'unknown'
    const child = node.child
    const result =
      child.kind === 'computed'
        ? isAllowed({ ...t, relation: child.relation }, depth, false, visited)
        : child.kind === 'traverse'
          ? traverse(t, child, depth, visited)
          : child.kind === 'rewrite'
            ? rewrite(t, child, depth, visited)
            : invert(t, child, depth, visited)
    // An unknown answer stays unknown: running out of depth never grants a `!` permission.
    return result === 'member' ? 'not-member' : result === 'not-member' ? 'member' : 'unknown'
  }

  /** `traverse` follows only tuples whose subject is a subject set, and checks on that set's object. */
  function traverse(t: RelationTuple, node: TupleToSubjectSet, depth: number, visited: ReadonlySet<string>): Membership {
    if (depth < 0) return 'unknown'
    for (const set of subjectSets(t, node.relation)) {
      if (isAllowed(onObject(set, node.computedRelation, t), depth - 1, false, visited) === 'member') return 'member'
    }
    return 'not-member'
  }

  return {
    check(tuple, requestDepth = 0) {
      const depth = requestDepth <= 0 || maxDepth < requestDepth ? maxDepth : requestDepth
      return isAllowed(tuple, depth, false, new Set()) === 'member'
    },
  }
}
