import type { Namespaces } from './opl-ast'
import {
  badRequest,
  DUPLICATE_SUBJECT,
  INCOMPLETE_SUBJECT,
  INCOMPLETE_TUPLE,
  NIL_SUBJECT,
  unknownNamespace,
} from './keto-errors'
import type { RelationQuery, RelationTuple, SubjectSet } from './relation-tuple'

const SET_KEYS = ['subject_set.namespace', 'subject_set.object', 'subject_set.relation'] as const

/** Keto's RelationQuery.FromURLQuery: every field optional, the subject given once and completely. */
export function queryFromUrl(params: URLSearchParams): RelationQuery {
  if (params.has('subject')) throw badRequest(undefined, 'provide "subject_id" or "subject_set.*"; support for "subject" was dropped')
  const query: RelationQuery = {}
  const hasSet = SET_KEYS.map((key) => params.has(key))
  if (params.has('subject_id') && hasSet.some(Boolean)) throw badRequest(DUPLICATE_SUBJECT)
  if (params.has('subject_id')) query.subject_id = params.get('subject_id')!
  else if (hasSet.every(Boolean)) query.subject_set = setFrom((key) => params.get(`subject_set.${key}`)!)
  else if (hasSet.some(Boolean)) throw badRequest(INCOMPLETE_SUBJECT)
  for (const key of ['namespace', 'object', 'relation'] as const) if (params.has(key)) query[key] = params.get(key)!
  return query
}

/** Keto's RelationTuple.FromURLQuery: a query that names a subject and all of namespace, object, relation. */
export function tupleFromUrl(params: URLSearchParams): RelationTuple {
  const query = queryFromUrl(params)
  if (query.subject_id === undefined && !query.subject_set) throw badRequest(NIL_SUBJECT)
  return complete(query)
}

/** A tuple from a JSON body; both or neither subject, or a missing field, is a 400. */
export function tupleFromJson(body: unknown): RelationTuple {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object')
  const fields = body as Record<string, unknown>
  const text = (name: string, value: unknown) => {
    if (value === undefined || typeof value === 'string') return value
    throw badRequest(`could not decode JSON: "${name}" must be a string`)
  }
  const query: RelationQuery = {}
  for (const key of ['namespace', 'object', 'relation', 'subject_id'] as const) {
    const value = text(key, fields[key])
    if (value !== undefined) query[key] = value
  }
  const set = fields.subject_set
  if (set !== undefined && set !== null) {
    if (typeof set !== 'object') throw badRequest('could not decode JSON: "subject_set" must be an object')
    const parts = set as Record<string, unknown>
    const part = (key: keyof SubjectSet) => text(`subject_set.${key}`, parts[key])
    if (part('namespace') === undefined || part('object') === undefined || part('relation') === undefined)
      throw badRequest(INCOMPLETE_SUBJECT)
    query.subject_set = setFrom((key) => part(key) as string)
  }
  if (query.subject_id === undefined && !query.subject_set) throw badRequest(NIL_SUBJECT)
  if (query.subject_id !== undefined && query.subject_set) throw badRequest(DUPLICATE_SUBJECT)
  return complete(query)
}

/** 404 like Keto when the tuple or its subject set names a namespace the OPL file lacks. */
export function assertKnownNamespaces(namespaces: Namespaces, query: RelationQuery): void {
  for (const name of [query.namespace, query.subject_set?.namespace]) {
    if (name !== undefined && !namespaces.has(name)) throw unknownNamespace(name)
  }
}

/** Whether a check may run at all: Keto answers "not allowed" (no error) for unknown namespaces. */
export function namespacesKnown(namespaces: Namespaces, query: RelationQuery): boolean {
  return [query.namespace, query.subject_set?.namespace].every((name) => name === undefined || namespaces.has(name))
}

function setFrom(get: (key: keyof SubjectSet) => string): SubjectSet {
  return { namespace: get('namespace'), object: get('object'), relation: get('relation') }
}

function complete(query: RelationQuery): RelationTuple {
  const { namespace, object, relation } = query
  if (namespace === undefined || object === undefined || relation === undefined) throw badRequest(INCOMPLETE_TUPLE)
  return query.subject_set ? { namespace, object, relation, subject_set: query.subject_set } : { namespace, object, relation, subject_id: query.subject_id! }
}
