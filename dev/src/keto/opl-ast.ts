// The namespace model Keto builds from an OPL file, in the same shape as Keto's
// internal AST (internal/namespace/ast) so that evaluation can follow Keto step by step.

/** One allowed subject type of a relation: `User` or `SubjectSet<Group, "members">`. */
export interface RelationType {
  namespace: string
  /** Set for `SubjectSet<Namespace, "relation">` types. */
  relation?: string
}

/** `this.related.R.includes(ctx.subject)` or `this.permits.P(ctx)`: check relation R/P on the same object. */
export interface ComputedSubjectSet {
  kind: 'computed'
  relation: string
}

/** `this.related.R.traverse((x) => x.related.S.includes(ctx.subject) | x.permits.S(ctx))`. */
export interface TupleToSubjectSet {
  kind: 'traverse'
  relation: string
  computedRelation: string
}

/** `!e` */
export interface InvertResult {
  kind: 'not'
  child: RewriteChild
}

/** An n-ary `&&` or `||`; a lone expression is an `or` with one child, as in Keto. */
export interface SubjectSetRewrite {
  kind: 'rewrite'
  operator: 'or' | 'and'
  children: RewriteChild[]
}

export type RewriteChild = ComputedSubjectSet | TupleToSubjectSet | InvertResult | SubjectSetRewrite

/** A `related` entry (types set) or a `permits` entry (rewrite set). */
export interface Relation {
  name: string
  types: RelationType[]
  rewrite?: SubjectSetRewrite
}

export interface Namespace {
  name: string
  relations: Relation[]
}

/** Every namespace of an OPL file, by name. */
export type Namespaces = ReadonlyMap<string, Namespace>
