import { matchesQuery, toApiTuple, tupleKey, type RelationQuery, type RelationTuple } from './relation-tuple'

/** The in-memory relationship table of one Keto stand-in. */
export interface TupleStore {
  /** Inserts (idempotently) then deletes, as one step. */
  transact(inserts: RelationTuple[], deletes: RelationTuple[]): void
  deleteAll(query: RelationQuery): void
  query(query: RelationQuery): RelationTuple[]
  exists(query: RelationQuery): boolean
}

const objectKey = (namespace: string, object: string, relation: string) => JSON.stringify([namespace, object, relation])

/**
 * Creates an empty store; tuples are kept in insertion order. Checks always name namespace,
 * object and relation, so those lookups go through an index instead of scanning every tuple.
 */
export function createTupleStore(): TupleStore {
  const tuples = new Map<string, RelationTuple>()
  const byObject = new Map<string, Map<string, RelationTuple>>()

  const add = (tuple: RelationTuple) => {
    const key = tupleKey(tuple)
    if (tuples.has(key)) return
    const stored = toApiTuple(tuple)
    tuples.set(key, stored)
    const slot = objectKey(tuple.namespace, tuple.object, tuple.relation)
    const bucket = byObject.get(slot) ?? new Map<string, RelationTuple>()
    bucket.set(key, stored)
    byObject.set(slot, bucket)
  }
  const remove = (tuple: RelationTuple) => {
    const key = tupleKey(tuple)
    if (!tuples.delete(key)) return
    const slot = objectKey(tuple.namespace, tuple.object, tuple.relation)
    const bucket = byObject.get(slot)
    bucket?.delete(key)
    if (bucket?.size === 0) byObject.delete(slot)
  }
  const candidates = (query: RelationQuery): Iterable<RelationTuple> =>
    query.namespace !== undefined && query.object !== undefined && query.relation !== undefined
      ? (byObject.get(objectKey(query.namespace, query.object, query.relation))?.values() ?? [])
      : tuples.values()

  return {
    transact(inserts, deletes) {
      for (const tuple of inserts) add(tuple)
      for (const tuple of deletes) remove(tuple)
    },
    deleteAll(query) {
      for (const tuple of [...candidates(query)]) if (matchesQuery(tuple, query)) remove(tuple)
    },
    query(query) {
      return [...candidates(query)].filter((tuple) => matchesQuery(tuple, query))
    },
    exists(query) {
      for (const tuple of candidates(query)) if (matchesQuery(tuple, query)) return true
      return false
    },
  }
}
