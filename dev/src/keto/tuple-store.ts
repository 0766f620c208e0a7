import { transaction, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { RelationQuery, RelationTuple } from './relation-tuple'

/** The relationship table of one Keto stand-in. */
export interface TupleStore {
  /** Inserts (idempotently) then deletes, as one step. */
  transact(inserts: RelationTuple[], deletes: RelationTuple[]): void
  deleteAll(query: RelationQuery): void
  /** The matching tuples in insertion order. */
  query(query: RelationQuery): RelationTuple[]
  exists(query: RelationQuery): boolean
}

type TupleRow = {
  namespace: string
  object: string
  relation: string
  subject_kind: string
  subject_id: string
  set_namespace: string
  set_object: string
  set_relation: string
}

function toTuple(row: TupleRow): RelationTuple {
  const { namespace, object, relation } = row
  return row.subject_kind === 'set'
    ? { namespace, object, relation, subject_set: { namespace: row.set_namespace, object: row.set_object, relation: row.set_relation } }
    : { namespace, object, relation, subject_id: row.subject_id }
}

// The unused subject columns hold '' rather than NULL, so that UNIQUE (where NULLs never collide) keeps inserts idempotent.
const columns = (tuple: RelationTuple) => ({
  namespace: tuple.namespace,
  object: tuple.object,
  relation: tuple.relation,
  subjectKind: tuple.subject_set ? 'set' : 'id',
  subjectId: tuple.subject_set ? '' : (tuple.subject_id ?? ''),
  setNamespace: tuple.subject_set?.namespace ?? '',
  setObject: tuple.subject_set?.object ?? '',
  setRelation: tuple.subject_set?.relation ?? '',
})

// A field the query leaves out is NULL, and a NULL parameter matches anything.
const filters = (query: RelationQuery) => ({
  namespace: query.namespace ?? null,
  object: query.object ?? null,
  relation: query.relation ?? null,
  subjectId: query.subject_id ?? null,
  setNamespace: query.subject_set?.namespace ?? null,
  setObject: query.subject_set?.object ?? null,
  setRelation: query.subject_set?.relation ?? null,
})

const SUBJECT = `(:subjectId IS NULL OR (subject_kind = 'id' AND subject_id = :subjectId))
  AND (:setNamespace IS NULL OR (subject_kind = 'set' AND set_namespace = :setNamespace AND set_object = :setObject AND set_relation = :setRelation))`
// Plain equalities, so the planner can use the by_object index; `? IS NULL OR …` would make it scan.
const ONE_OBJECT = `namespace = :namespace AND object = :object AND relation = :relation AND ${SUBJECT}`
const ANY_OBJECT = `(:namespace IS NULL OR namespace = :namespace) AND (:object IS NULL OR object = :object)
  AND (:relation IS NULL OR relation = :relation) AND ${SUBJECT}`

/**
 * Opens the store on `db`, creating its table. Tuples keep their insertion order (the rowid `seq`). Checks
 * always name namespace, object and relation, so those lookups go through an index instead of scanning every tuple.
 */
export function createTupleStore(db: DatabaseSync): TupleStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS relation_tuples (
      seq INTEGER PRIMARY KEY,
      namespace TEXT NOT NULL,
      object TEXT NOT NULL,
      relation TEXT NOT NULL,
      subject_kind TEXT NOT NULL CHECK (subject_kind IN ('id', 'set')),
      subject_id TEXT NOT NULL,
      set_namespace TEXT NOT NULL,
      set_object TEXT NOT NULL,
      set_relation TEXT NOT NULL,
      UNIQUE (namespace, object, relation, subject_kind, subject_id, set_namespace, set_object, set_relation)
    ) STRICT;
    CREATE INDEX IF NOT EXISTS by_object ON relation_tuples (namespace, object, relation, seq);
  `)
  // A repeated tuple keeps its row, and so its place in the order.
  const insert = db.prepare(`
    INSERT INTO relation_tuples (namespace, object, relation, subject_kind, subject_id, set_namespace, set_object, set_relation)
    VALUES (:namespace, :object, :relation, :subjectKind, :subjectId, :setNamespace, :setObject, :setRelation)
    ON CONFLICT DO NOTHING
  `)
  const statements = (where: string) => ({
    select: db.prepare(`
      SELECT namespace, object, relation, subject_kind, subject_id, set_namespace, set_object, set_relation
      FROM relation_tuples WHERE ${where} ORDER BY seq
    `),
    remove: db.prepare(`DELETE FROM relation_tuples WHERE ${where}`),
  })
  const oneObject = statements(ONE_OBJECT)
  const anyObject = statements(ANY_OBJECT)
  const pick = (query: RelationQuery) =>
    query.namespace !== undefined && query.object !== undefined && query.relation !== undefined ? oneObject : anyObject

  return {
    transact(inserts, deletes) {
      transaction(db, () => {
        for (const tuple of inserts) insert.run(columns(tuple))
        // A tuple always names its subject, so this deletes exactly that tuple.
        for (const tuple of deletes) oneObject.remove.run(filters(tuple))
      })
    },
    deleteAll(query) {
      pick(query).remove.run(filters(query))
    },
    query(query) {
      return (pick(query).select.all(filters(query)) as TupleRow[]).map(toTuple)
    },
    exists(query) {
      return pick(query).select.get(filters(query)) !== undefined
    },
  }
}
