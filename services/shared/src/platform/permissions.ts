import { setTimeout as sleep } from 'node:timers/promises'
import { Configuration, PermissionApi, RelationshipApi, type Relationship } from '@ory/keto-client'
import { forbidden } from './errors'
import { isTransientUpstreamFailure, neverRedirected, upstreamFailure } from './upstream'

export type SubjectSet = { namespace: string; object: string; relation: string }
export type Tuple = { namespace: string; object: string; relation: string; subjectId?: string; subjectSet?: SubjectSet }

export type Permissions = {
  /** Whether `subjectId` holds `relation` (a relation or a permit) on `namespace:object`. */
  check(namespace: string, object: string, relation: string, subjectId: string): Promise<boolean>
  /** Throws 403 unless the check passes. */
  require(namespace: string, object: string, relation: string, subjectId: string): Promise<void>
  /** Writes relationships in one all-or-nothing patch. */
  grant(tuples: Tuple[]): Promise<void>
  /** Deletes relationships in one all-or-nothing patch. */
  revoke(tuples: Tuple[]): Promise<void>
}

const failure = (err: unknown) => upstreamFailure('permissions', 'The permission service did not answer; try again', err)

/** How many times a check or write is tried while Keto fails in a way that may pass (a 5xx, no answer). */
export const KETO_ATTEMPTS = 3
const BACKOFF_MS = 25

/**
 * Runs a Keto call, asking again after a short, growing, jittered pause while the failure is transient (Keto on
 * SQLite answers concurrent requests with serialization conflicts); then 503. A 4xx is our bug: not retried.
 */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (err) {
      if (attempt >= KETO_ATTEMPTS || !isTransientUpstreamFailure(err)) throw failure(err)
      await sleep(BACKOFF_MS * 2 ** (attempt - 1) * (1 + Math.random()))
    }
  }
}

/**
 * Keto's read and write APIs through `@ory/keto-client`.
 * @example await createPermissions({ readUrl, writeUrl }).require('Ticket', id, 'edit', user.id)
 */
export function createPermissions(options: { readUrl: string; writeUrl: string }): Permissions {
  const permission = new PermissionApi(new Configuration({ basePath: options.readUrl, baseOptions: neverRedirected }))
  const relationships = new RelationshipApi(new Configuration({ basePath: options.writeUrl, baseOptions: neverRedirected }))

  const check: Permissions['check'] = async (namespace, object, relation, subjectId) => {
    const { data } = await withRetries(() => permission.checkPermission({ namespace, object, relation, subjectId }))
    // Only a boolean is an answer: a `"true"`, a `1` or no field at all (from whatever answers in Keto's place) never allows.
    const allowed: unknown = (data as { allowed?: unknown } | null)?.allowed
    if (typeof allowed !== 'boolean') throw new Error('the permissions service answered a check without a yes or no')
    return allowed
  }

  return {
    check,
    async require(namespace, object, relation, subjectId) {
      if (!(await check(namespace, object, relation, subjectId))) throw forbidden()
    },
    grant: (tuples) => patch('insert', tuples),
    revoke: (tuples) => patch('delete', tuples),
  }

  async function patch(action: 'insert' | 'delete', tuples: Tuple[]) {
    const relationshipPatch = tuples.map((t) => ({ action, relation_tuple: toRelationship(t) }))
    // A patch is all-or-nothing, and inserting or deleting a relationship twice is harmless, so it may be repeated.
    await withRetries(() => relationships.patchRelationships({ relationshipPatch }))
  }
}

function toRelationship(t: Tuple): Relationship {
  return {
    namespace: t.namespace,
    object: t.object,
    relation: t.relation,
    ...(t.subjectId !== undefined ? { subject_id: t.subjectId } : {}),
    ...(t.subjectSet ? { subject_set: t.subjectSet } : {}),
  }
}
