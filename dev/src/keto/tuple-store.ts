import { matchesQuery, toApiTuple, tupleKey, type RelationQuery, type RelationTuple } from './relation-tuple'

/** The in-memory relationship table of one Keto stand-in. */
export interface TupleStore {
  /** Inserts (idempotently) then deletes, as one step. */
  transact(inserts: RelationTuple[], deletes: RelationTuple[]): void
  deleteAll(query: RelationQuery): void
  query(query: RelationQuery): RelationTuple[]
  exists(query: RelationQuery): boolean
}

/** Creates an empty store; tuples are kept in insertion order. */
export function createTupleStore(): TupleStore {
  const tuples = new Map<string, RelationTuple>()

  return {
    transact(inserts, deletes) {
      for (const tuple of inserts) {
        const key = tupleKey(tuple)
        if (!tuples.has(key)) tuples.set(key, toApiTuple(tuple))
      }
      for (const tuple of deletes) tuples.delete(tupleKey(tuple))
    },
    deleteAll(query) {
      for (const [key, tuple] of tuples) if (matchesQuery(tuple, query)) tuples.delete(key)
    },
    query(query) {
      return [...tuples.values()].filter((tuple) => matchesQuery(tuple, query))
    },
    exists(query) {
      for (const tuple of tuples.values()) if (matchesQuery(tuple, query)) return true
      return false
    },
  }
}
