import type { Db } from 'mongodb'
import { isDuplicateKey } from '@ticketing/shared/platform'
import type { TicketReplica } from '../domain/order'
import type { TicketReplicasStore } from './ticket-replicas.store'

type ReplicaDocument = Omit<TicketReplica, 'id'> & { _id: string }

export function createMongoTicketReplicasStore(db: Db): TicketReplicasStore {
  const replicas = db.collection<ReplicaDocument>('ticket_replicas')
  return {
    async upsert({ id, ...rest }) {
      try {
        // Matches only an older copy; when a newer or equal one exists the upsert's insert hits _id and is refused.
        const { matchedCount, upsertedCount } = await replicas.updateOne(
          { _id: id, version: { $lt: rest.version } },
          { $set: rest },
          { upsert: true },
        )
        return matchedCount + upsertedCount === 1
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },
    async get(id) {
      const doc = await replicas.findOne({ _id: id })
      if (!doc) return null
      const { _id, ...rest } = doc
      return { id: _id, ...rest }
    },
  }
}
