import { transaction, withoutFlush, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { CloudEvent, DeadLetter } from './types'

/** A durable queue of one subscriber (consumer id = app-id) bound to one topic, named as RabbitMQ names it. */
export interface Queue {
  id: number
  /** `<app-id>-<topic>` */
  name: string
  pubsubName: string
  topic: string
  appId: string
}

/** A message waiting in a queue until its delivery is finished. */
export interface QueuedMessage {
  seq: number
  event: CloudEvent
}

/** The durable half of the pub/sub: queues, their messages and the record of dead letters. */
export interface QueueStore {
  /** Creates the queue unless it exists (it is never removed, like a durable queue with deletedWhenUnused false). */
  declare(pubsubName: string, topic: string, appId: string): Queue
  /** Appends the envelope to every queue bound to the topic, in one transaction; returns those queues. */
  enqueue(pubsubName: string, topic: string, event: CloudEvent): Queue[]
  /** The oldest messages of the queue, oldest first. */
  oldest(queue: Queue, limit: number): QueuedMessage[]
  /** Removes a message whose delivery is finished. */
  remove(seq: number): void
  /** Removes the message, records the dead letter and enqueues the envelope on the dead-letter topic, in one transaction. */
  deadLetter(seq: number, pubsubName: string, letter: DeadLetter): Queue[]
  /** Dead letters, oldest first. */
  deadLetters(): DeadLetter[]
}

type QueueRow = { id: number; name: string; pubsub: string; topic: string; app_id: string }
type MessageRow = { seq: number; envelope: string }
type DeadLetterRow = { topic: string; dead_letter_topic: string; app_id: string; reason: string; envelope: string }

const toQueue = (row: QueueRow): Queue => ({ id: row.id, name: row.name, pubsubName: row.pubsub, topic: row.topic, appId: row.app_id })
const toMessage = (row: MessageRow): QueuedMessage => ({ seq: row.seq, event: JSON.parse(row.envelope) as CloudEvent })
const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  topic: row.topic,
  deadLetterTopic: row.dead_letter_topic,
  event: JSON.parse(row.envelope) as CloudEvent,
  appId: row.app_id,
  reason: row.reason,
})

/** Keeps the queues in SQLite, so a message waits for its subscriber across restarts. */
export function createQueueStore(db: DatabaseSync): QueueStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS subscription_queues (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      pubsub TEXT NOT NULL,
      topic TEXT NOT NULL,
      app_id TEXT NOT NULL,
      UNIQUE (pubsub, topic, app_id)
    ) STRICT;
    CREATE TABLE IF NOT EXISTS queued_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      queue_id INTEGER NOT NULL REFERENCES subscription_queues (id),
      envelope TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS queued_messages_by_queue ON queued_messages (queue_id, seq);
    CREATE TABLE IF NOT EXISTS dead_letters (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      topic TEXT NOT NULL,
      dead_letter_topic TEXT NOT NULL,
      app_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      envelope TEXT NOT NULL
    ) STRICT;
  `)
  const insertQueue = db.prepare(
    'INSERT INTO subscription_queues (name, pubsub, topic, app_id) VALUES (?, ?, ?, ?) ON CONFLICT (pubsub, topic, app_id) DO NOTHING',
  )
  const queueOf = db.prepare('SELECT id, name, pubsub, topic, app_id FROM subscription_queues WHERE pubsub = ? AND topic = ? AND app_id = ?')
  const boundTo = db.prepare('SELECT id, name, pubsub, topic, app_id FROM subscription_queues WHERE pubsub = ? AND topic = ? ORDER BY id')
  const insertMessage = db.prepare('INSERT INTO queued_messages (queue_id, envelope) VALUES (?, ?)')
  const oldest = db.prepare('SELECT seq, envelope FROM queued_messages WHERE queue_id = ? ORDER BY seq LIMIT ?')
  const removeMessage = db.prepare('DELETE FROM queued_messages WHERE seq = ?')
  const insertDeadLetter = db.prepare(
    'INSERT INTO dead_letters (topic, dead_letter_topic, app_id, reason, envelope) VALUES (?, ?, ?, ?, ?)',
  )
  const deadLetters = db.prepare('SELECT topic, dead_letter_topic, app_id, reason, envelope FROM dead_letters ORDER BY seq')

  /** Call inside a transaction. */
  function append(pubsubName: string, topic: string, event: CloudEvent): Queue[] {
    const queues = (boundTo.all(pubsubName, topic) as QueueRow[]).map(toQueue)
    const envelope = JSON.stringify(event)
    for (const queue of queues) insertMessage.run(queue.id, envelope)
    return queues
  }

  return {
    declare(pubsubName, topic, appId) {
      insertQueue.run(`${appId}-${topic}`, pubsubName, topic, appId)
      return toQueue(queueOf.get(pubsubName, topic, appId) as QueueRow)
    },
    enqueue: (pubsubName, topic, event) => transaction(db, () => append(pubsubName, topic, event)),
    oldest: (queue, limit) => (oldest.all(queue.id, limit) as MessageRow[]).map(toMessage),
    // A finished delivery that is forgotten is delivered again, which subscribers ignore by version: safe to forget.
    remove: (seq) => void withoutFlush(db, () => removeMessage.run(seq)),
    deadLetter: (seq, pubsubName, letter) =>
      transaction(db, () => {
        removeMessage.run(seq)
        insertDeadLetter.run(letter.topic, letter.deadLetterTopic, letter.appId, letter.reason, JSON.stringify(letter.event))
        return append(pubsubName, letter.deadLetterTopic, letter.event)
      }),
    deadLetters: () => (deadLetters.all() as DeadLetterRow[]).map(toDeadLetter),
  }
}
