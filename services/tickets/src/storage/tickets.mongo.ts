import type { Db } from 'mongodb'
import { ensureIndexes, mongoOutbox, outboxIndex } from '@ticketing/shared/mongo'
import { type OutboxEvent } from '@ticketing/shared/platform'
import type { Ticket } from '../domain/ticket'
import type { TicketsStore } from './tickets.store'

type TicketDocument = Omit<Ticket, 'id'> & { _id: string; outbox: OutboxEvent[] }

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function toTicket(doc: TicketDocument): Ticket {
  const { _id, outbox: _outbox, ...rest } = doc
  return { id: _id, ...rest }
}

/** Stores tickets in MongoDB (or any MongoDB-wire server), one document per ticket with its pending events. */
export async function createMongoTicketsStore(db: Db): Promise<TicketsStore> {
  const tickets = db.collection<TicketDocument>('tickets')
  await ensureIndexes(tickets, [outboxIndex])

  return {
    async insert(ticket, events) {
      const { id, ...rest } = ticket
      await tickets.insertOne({ _id: id, ...rest, outbox: events })
    },
    async get(id) {
      const doc = await tickets.findOne({ _id: id })
      return doc ? toTicket(doc) : null
    },
    async search({ q, limit, after }) {
      const filter = {
        ...(after !== undefined ? { _id: { $lt: after } } : {}),
        ...(q ? { title: { $regex: escapeRegex(q), $options: 'i' } } : {}),
      }
      const docs = await tickets.find(filter).sort({ _id: -1 }).limit(limit).toArray()
      return docs.map(toTicket)
    },
    async replace(ticket, expectedVersion, events) {
      const { id, ...rest } = ticket
      // orderId is absent when released; $unset it so an old holder does not linger.
      const unset = ticket.orderId === undefined ? { $unset: { orderId: '' as const } } : {}
      const { matchedCount } = await tickets.updateOne(
        { _id: id, version: expectedVersion },
        { $set: rest, ...unset, $push: { outbox: { $each: events } } },
      )
      return matchedCount === 1
    },
    ...mongoOutbox(tickets),
  }
}
