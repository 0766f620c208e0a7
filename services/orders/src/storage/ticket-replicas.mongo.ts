import type { Db } from 'mongodb'
import { upsertNewer } from '@ticketing/shared/mongo'
import type { TicketReplica } from '../domain/order'
import type { TicketReplicasStore } from './ticket-replicas.store'

type ReplicaDocument = Omit<TicketReplica, 'id'> & { _id: string }

export function createMongoTicketReplicasStore(db: Db): TicketReplicasStore {
  const replicas = db.collection<ReplicaDocument>('ticket_replicas')
  return {
    upsert: ({ id, ...fields }) => upsertNewer(replicas, id, fields),
    async get(id) {
      const doc = await replicas.findOne({ _id: id })
      if (!doc) return null
      const { _id, ...rest } = doc
      return { id: _id, ...rest }
    },
  }
}
