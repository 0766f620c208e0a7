import { Hono, type Context } from 'hono'
import type { CheckEngine } from './check-engine'
import { maxDepthFrom, readJson, searchParams, withKetoBasics } from './http-support'
import { badRequest } from './keto-errors'
import type { Namespaces } from './opl-ast'
import { toApiTuple } from './relation-tuple'
import type { TupleStore } from './tuple-store'
import { assertKnownNamespaces, namespacesKnown, queryFromUrl, tupleFromJson, tupleFromUrl } from './tuple-params'

export interface ReadApiDeps {
  namespaces: Namespaces
  store: TupleStore
  engine: CheckEngine
}

const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 1000

/** Keto's read API (port 4466): checks, listing relationships, namespaces. */
export function createReadApp({ namespaces, store, engine }: ReadApiDeps): Hono {
  const app = withKetoBasics(new Hono())

  const checkFromUrl = (c: Context): boolean => {
    const params = searchParams(c)
    const depth = maxDepthFrom(params)
    const tuple = tupleFromUrl(params)
    return namespacesKnown(namespaces, tuple) && engine.check(tuple, depth)
  }
  const checkFromBody = async (c: Context): Promise<boolean> => {
    const depth = maxDepthFrom(searchParams(c))
    const body = await readJson(c)
    // Keto looks the namespace up before validating the rest, and an unknown one is simply "not allowed".
    const namespace = (body as { namespace?: unknown } | null)?.namespace
    if (typeof namespace !== 'string' || !namespaces.has(namespace)) return false
    const tuple = tupleFromJson(body)
    return namespacesKnown(namespaces, tuple) && engine.check(tuple, depth)
  }

  app.get('/relation-tuples/check/openapi', (c) => c.json({ allowed: checkFromUrl(c) }))
  app.post('/relation-tuples/check/openapi', async (c) => c.json({ allowed: await checkFromBody(c) }))
  app.get('/relation-tuples/check', (c) => {
    const allowed = checkFromUrl(c)
    return c.json({ allowed }, allowed ? 200 : 403)
  })
  app.post('/relation-tuples/check', async (c) => {
    const allowed = await checkFromBody(c)
    return c.json({ allowed }, allowed ? 200 : 403)
  })

  app.get('/relation-tuples', (c) => {
    const params = searchParams(c)
    const query = queryFromUrl(params)
    assertKnownNamespaces(namespaces, query)
    const size = pageSize(params.get('page_size'))
    const offset = pageOffset(params.get('page_token'))
    const matching = store.query(query)
    const page = matching.slice(offset, offset + size).map(toApiTuple)
    const next = offset + size < matching.length ? encodeToken(offset + size) : ''
    return c.json({ relation_tuples: page, next_page_token: next })
  })

  app.get('/namespaces', (c) => c.json({ namespaces: [...namespaces.keys()].map((name) => ({ name })) }))
  return app
}

function pageSize(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_PAGE_SIZE
  const size = Number(raw)
  if (!Number.isInteger(size) || size < 1) throw badRequest(`could not parse page_size "${raw}"`)
  return Math.min(size, MAX_PAGE_SIZE)
}

// The token is opaque to clients, as Keto's encrypted keyset token is.
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url')
}

function pageOffset(token: string | null): number {
  if (token === null || token === '') return 0
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown }
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('invalid page_token')
}
