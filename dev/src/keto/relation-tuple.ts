// Relation tuples as Keto's REST API spells them (snake_case JSON fields).

export interface SubjectSet {
  namespace: string
  object: string
  relation: string
}

/** `namespace:object#relation@subject`, the subject being an id or a subject set. */
export interface RelationTuple {
  namespace: string
  object: string
  relation: string
  subject_id?: string
  subject_set?: SubjectSet
}

/** A filter over tuples; every field left out matches anything. */
export interface RelationQuery {
  namespace?: string
  object?: string
  relation?: string
  subject_id?: string
  subject_set?: SubjectSet
}

/** Whether `tuple` matches every field the query sets. */
export function matchesQuery(tuple: RelationTuple, query: RelationQuery): boolean {
  if (query.namespace !== undefined && tuple.namespace !== query.namespace) return false
  if (query.object !== undefined && tuple.object !== query.object) return false
  if (query.relation !== undefined && tuple.relation !== query.relation) return false
  if (query.subject_id !== undefined && tuple.subject_id !== query.subject_id) return false
  const set = query.subject_set
  if (set === undefined) return true
  const other = tuple.subject_set
  return other !== undefined && other.namespace === set.namespace && other.object === set.object && other.relation === set.relation
}

/** A stable identity for a tuple, used to keep inserts idempotent. */
export function tupleKey(tuple: RelationTuple): string {
  const subject = tuple.subject_set
    ? ['set', tuple.subject_set.namespace, tuple.subject_set.object, tuple.subject_set.relation]
    : ['id', tuple.subject_id ?? '']
  return JSON.stringify([tuple.namespace, tuple.object, tuple.relation, ...subject])
}

/** Keto's response shape: only the subject field that is set. */
export function toApiTuple(tuple: RelationTuple): RelationTuple {
  const { namespace, object, relation } = tuple
  return tuple.subject_set
    ? { namespace, object, relation, subject_set: { ...tuple.subject_set } }
    : { namespace, object, relation, subject_id: tuple.subject_id ?? '' }
}
