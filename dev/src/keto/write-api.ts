import { Hono } from 'hono'
import { z } from 'zod'
import { readJson, searchParams, withKetoBasics } from './http-support'
import { badRequest } from './keto-errors'
import type { Namespaces } from './opl-ast'
import { toApiTuple, type RelationTuple } from './relation-tuple'
import type { TupleStore } from './tuple-store'
import { assertKnownNamespaces, queryFromUrl, tupleFromJson } from './tuple-params'

export interface WriteApiDeps {
  namespaces: Namespaces
  store: TupleStore
}

const ROUTE = '/admin/relation-tuples'
const QUERY_KEYS = new Set([
  'namespace',
  'object',
  'relation',
  'subject_id',
  'subject_set.namespace',
  'subject_set.object',
  'subject_set.relation',
  'subject',
])

// A delta that is not an object has no relation_tuple, and so is refused for the missing tuple.
const patchDeltaSchema = z
  .object({ action: z.unknown().optional(), relation_tuple: z.unknown().optional() })
  .catch({})

/** The action as Keto's "unknown action" error shows it; Keto itself only decodes a string there. */
function actionText(action: unknown): string {
  if (action === undefined || action === null) return ''
  return typeof action === 'string' || typeof action === 'number' || typeof action === 'boolean' ? String(action) : JSON.stringify(action)
}

/** Keto's write API (port 4467): create, patch and delete relationships. */
export function createWriteApp({ namespaces, store }: WriteApiDeps): Hono {
  const app = withKetoBasics(new Hono())

  app.put(ROUTE, async (c) => {
    const tuple = tupleFromJson(await readJson(c))
    assertKnownNamespaces(namespaces, tuple)
    store.transact([tuple], [])
    c.header('Location', `/relation-tuples?${toSearch(tuple)}`)
    return c.json(toApiTuple(tuple), 201)
  })

  app.patch(ROUTE, async (c) => {
    const body = await readJson(c)
    if (!Array.isArray(body)) throw badRequest('could not unmarshal json: the body must be an array of patches')
    // Validate every delta before touching the store: a patch applies completely or not at all.
    const inserts: RelationTuple[] = []
    const deletes: RelationTuple[] = []
    for (const entry of body) {
      const { action, relation_tuple } = patchDeltaSchema.parse(entry)
      if (relation_tuple === undefined || relation_tuple === null) throw badRequest('relation_tuple is missing')
      const tuple = tupleFromJson(relation_tuple)
      if (action === 'insert') inserts.push(tuple)
      else if (action === 'delete') deletes.push(tuple)
      else throw badRequest(`unknown action ${actionText(action)}`)
    }
    for (const tuple of [...inserts, ...deletes]) assertKnownNamespaces(namespaces, tuple)
    store.transact(inserts, deletes)
    return c.body(null, 204)
  })

  app.delete(ROUTE, async (c) => {
    const params = searchParams(c)
    const problems = [...params.keys()].filter((key) => !QUERY_KEYS.has(key)).map((key) => `query parameter key "${key}" unknown`)
    if (!params.has('namespace')) problems.push('query parameters must specify at least one of the following: namespace')
    if ((await c.req.text()) !== '') problems.push('body is not empty')
    if (problems.length > 0) throw badRequest(undefined, problems.join('; '))
    const query = queryFromUrl(params)
    assertKnownNamespaces(namespaces, query)
    store.deleteAll(query)
    return c.body(null, 204)
  })

  return app
}

function toSearch(tuple: RelationTuple): string {
  const params = new URLSearchParams({ namespace: tuple.namespace, object: tuple.object, relation: tuple.relation })
  if (tuple.subject_set) {
    params.set('subject_set.namespace', tuple.subject_set.namespace)
    params.set('subject_set.object', tuple.subject_set.object)
    params.set('subject_set.relation', tuple.subject_set.relation)
  } else params.set('subject_id', tuple.subject_id ?? '')
  return params.toString()
}
