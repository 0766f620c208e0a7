import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb'
import { ensureIndexes, mongoOutbox, outboxIndex } from '@ticketing/shared/mongo'
import { type OutboxEvent } from '@ticketing/shared/platform'
import type { Ticket } from '../domain/ticket'
import type { SearchQuery, TicketsStore } from './tickets.store'
import { fold, isIndexable, trigrams } from './title-search'

/** `titleFolded` and `titleGrams` are derived from `title` on every write: the search fields, never read back. */
type TicketDocument = Omit<Ticket, 'id'> & { _id: string; outbox: OutboxEvent[]; titleFolded: string; titleGrams: string[] }

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const searchFields = (title: string) => ({ titleFolded: fold(title), titleGrams: trigrams(fold(title)) })

/**
 * One trigram's ids in descending order: a search walks the first trigram of the query in `_id` order, so the
 * sort and the keyset bound come from the index, and only those documents are fetched and checked.
 */
const titleGramIndex = { key: { titleGrams: 1, _id: -1 }, name: 'by_title_gram' } as const

function toTicket(doc: TicketDocument): Ticket {
  const { _id, outbox: _outbox, titleFolded: _folded, titleGrams: _grams, ...rest } = doc
  return { id: _id, ...rest }
}

/**
 * Gives the search fields to documents written before they existed, in batches. The title is part of each update's
 * filter, so a ticket edited meanwhile keeps the fields its edit wrote.
 */
async function backfillSearchFields(tickets: Collection<TicketDocument>) {
  const missing = tickets.find({ titleGrams: { $exists: false } }, { projection: { title: 1 } })
  let batch: AnyBulkWriteOperation<TicketDocument>[] = []
  for await (const { _id, title } of missing) {
    batch.push({ updateOne: { filter: { _id, title, titleGrams: { $exists: false } }, update: { $set: searchFields(title) } } })
    if (batch.length === 500) {
      await tickets.bulkWrite(batch, { ordered: false })
      batch = []
    }
  }
  if (batch.length > 0) await tickets.bulkWrite(batch, { ordered: false })
}

/**
 * The filter of a search. The query's trigrams narrow through the index, the folded substring confirms (trigrams
 * alone would let "abc bcd" match "abcd"). A needle of one or two characters has no trigram: only the substring
 * check, walking `_id` downwards until `limit` match (a scan, long only for a rare short needle).
 */
export function searchFilter({ q, after }: Omit<SearchQuery, 'limit'>) {
  const folded = fold(q ?? '')
  const substring = folded ? { titleFolded: { $regex: escapeRegex(folded) } } : {}
  return {
    ...(after !== undefined ? { _id: { $lt: after } } : {}),
    ...(isIndexable(folded) ? { titleGrams: { $all: trigrams(folded) } } : {}),
    ...substring,
  }
}

/** Stores tickets in MongoDB (or any MongoDB-wire server), one document per ticket with its pending events. */
export async function createMongoTicketsStore(db: Db): Promise<TicketsStore> {
  const tickets = db.collection<TicketDocument>('tickets')
  await ensureIndexes(tickets, [outboxIndex, titleGramIndex])
  await backfillSearchFields(tickets)

  return {
    async insert(ticket, events) {
      const { id, ...rest } = ticket
      await tickets.insertOne({ _id: id, ...rest, ...searchFields(ticket.title), outbox: events })
    },
    async get(id) {
      const doc = await tickets.findOne({ _id: id })
      return doc ? toTicket(doc) : null
    },
    async search({ q, limit, after }) {
      const docs = await tickets.find(searchFilter({ q, after })).sort({ _id: -1 }).limit(limit).toArray()
      return docs.map(toTicket)
    },
    async replace(ticket, expectedVersion, events) {
      const { id, ...rest } = ticket
      // orderId is absent when released; $unset it so an old holder does not linger.
      const unset = ticket.orderId === undefined ? { $unset: { orderId: '' as const } } : {}
      const { matchedCount } = await tickets.updateOne(
        { _id: id, version: expectedVersion },
        { $set: { ...rest, ...searchFields(ticket.title) }, ...unset, $push: { outbox: { $each: events } } },
      )
      return matchedCount === 1
    },
    ...mongoOutbox(tickets),
  }
}
