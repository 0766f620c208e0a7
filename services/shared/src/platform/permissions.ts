import { Configuration, PermissionApi, RelationshipApi, type Relationship } from '@ory/keto-client'
import { forbidden } from './errors'
import { upstreamFailure } from './upstream'

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

/**
 * Keto's read and write APIs through `@ory/keto-client`.
 * @example await createPermissions({ readUrl, writeUrl }).require('Ticket', id, 'edit', user.id)
 */
export function createPermissions(options: { readUrl: string; writeUrl: string }): Permissions {
  const permission = new PermissionApi(new Configuration({ basePath: options.readUrl }))
  const relationships = new RelationshipApi(new Configuration({ basePath: options.writeUrl }))

  const check: Permissions['check'] = async (namespace, object, relation, subjectId) => {
    try {
      const { data } = await permission.checkPermission({ namespace, object, relation, subjectId })
      return data.allowed
    } catch (err) {
      throw failure(err)
    }
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
    try {
      await relationships.patchRelationships({ relationshipPatch })
    } catch (err) {
      throw failure(err)
    }
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
