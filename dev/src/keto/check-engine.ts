import type { InvertResult, Namespaces, Relation, SubjectSetRewrite, TupleToSubjectSet } from './opl-ast'
import { badRequest } from './keto-errors'
import type { RelationTuple, SubjectSet } from './relation-tuple'
import type { TupleStore } from './tuple-store'

/**
 * Keto's three-valued answer. Only a depth guard answers `unknown`; every check group (a
 * relation's direct, expand and rewrite checks, a traverse) finalises to `not-member` unless a
 * child is a member, so `unknown` survives only where a guard's answer is used directly.
 */
type Membership = 'member' | 'not-member' | 'unknown'

export interface CheckEngine {
  /** Whether the tuple's subject holds its relation; `requestDepth` ≤ 0 means the global maximum. */
  check(tuple: RelationTuple, requestDepth?: number): boolean
}

/** Keto's checkgroup: the first member wins; anything else, `unknown` included, is `not-member`. */
const anyMember = (checks: Iterable<() => Membership>): Membership => {
  for (const run of checks) if (run() === 'member') return 'member'
  return 'not-member'
}

/**
 * Evaluates checks the way Keto v25/v26 does (internal/check, non-strict mode): a relation
 * holds through a direct tuple, through subject-set expansion, or through the permit's
 * rewrite; every hop spends depth, and a branch that runs out of depth finds nothing.
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
    const permit = relationFor(t.namespace, t.relation)?.rewrite
    const checks: Array<() => Membership> = []
    if (permit) checks.push(() => rewrite(t, permit, depth, visited))
    if (!skipDirect) checks.push(() => direct(t, depth - 1))
    checks.push(() => expand(t, depth - 1, visited))
    return anyMember(checks)
  }

  const direct = (t: RelationTuple, depth: number): Membership =>
    depth <= 0 ? 'unknown' : store.exists(t) ? 'member' : 'not-member'

  /** Subject-set expansion: `ns:obj#rel@(set)` grants rel to every member of the set. */
  function expand(t: RelationTuple, depth: number, visited: ReadonlySet<string>): Membership {
    if (depth <= 0) return 'unknown'
    const sets = subjectSets(t, t.relation)
    if (sets.some((set) => store.exists(onObject(set, set.relation, t)))) return 'member'
    const unvisited = sets.filter((set) => !visited.has(JSON.stringify(set)))
    return anyMember(
      unvisited.map((set) => () => isAllowed(onObject(set, set.relation, t), depth, true, new Set([...visited, JSON.stringify(set)]))),
    )
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
        checks.push(() =>
          computed.some((relation) => store.exists({ ...t, relation }))
            ? 'member'
            : anyMember(computed.map((relation) => () => isAllowed({ ...t, relation }, depth - 1, true, visited))),
        )
    }
    for (const child of children) {
      if (child.kind === 'computed') checks.push(() => isAllowed({ ...t, relation: child.relation }, depth, false, visited))
      if (child.kind === 'traverse') checks.push(() => traverse(t, child, depth, visited))
      if (child.kind === 'rewrite') checks.push(() => rewrite(t, child, depth - 1, visited))
      if (child.kind === 'not') checks.push(() => invert(t, child, depth, visited))
    }
    if (node.operator === 'or') return anyMember(checks)
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
    // Keto flips only member and not-member, so a guard's bare `unknown` stays unknown. A relation that
    // ran out of depth inside its check group is already `not-member`, though, and `!` grants it:
    // a shallow max-depth can allow a `!` permit.
    return result === 'member' ? 'not-member' : result === 'not-member' ? 'member' : 'unknown'
  }

  /** `traverse` follows only tuples whose subject is a subject set, and checks on that set's object. */
  function traverse(t: RelationTuple, node: TupleToSubjectSet, depth: number, visited: ReadonlySet<string>): Membership {
    if (depth < 0) return 'unknown'
    return anyMember(
      subjectSets(t, node.relation).map((set) => () => isAllowed(onObject(set, node.computedRelation, t), depth - 1, false, visited)),
    )
  }

  return {
    check(tuple, requestDepth = 0) {
      const depth = requestDepth <= 0 || maxDepth < requestDepth ? maxDepth : requestDepth
      return isAllowed(tuple, depth, false, new Set()) === 'member'
    },
  }
}
