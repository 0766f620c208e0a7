import type { DatabaseSync } from '@ticketing/shared/sqlite'
import type { Period } from './due-time'

/** A reminder as registered through `/v1.0/actors/{type}/{id}/reminders/{name}`. */
export interface ReminderSpec {
  dueTime: string
  period: string
  data?: unknown
}

/** A reminder with its schedule: when it fires next and how often it has fired. */
export interface StoredReminder {
  actorType: string
  actorId: string
  name: string
  spec: ReminderSpec
  /** Parsed once at registration, so a calendar period keeps the length it had then. */
  period?: Period
  /** Epoch milliseconds of the next firing. */
  nextAt: number
  firings: number
}

/** Where the reminders are kept, like Dapr's Scheduler service keeps them. */
export interface ReminderStore {
  all(): StoredReminder[]
  get(actorType: string, actorId: string, name: string): StoredReminder | undefined
  /** Inserts or replaces the reminder of that actor and name. */
  save(reminder: StoredReminder): void
  delete(actorType: string, actorId: string, name: string): void
  /** Distinct actor ids of the type that have reminders. */
  actorCount(actorType: string): number
}

type ReminderRow = {
  actor_type: string
  actor_id: string
  name: string
  due_time: string
  period: string
  data: string
  interval_ms: number | null
  repetitions: number | null
  next_at: number
  firings: number
}

function toReminder(row: ReminderRow): StoredReminder {
  const period = row.interval_ms === null ? undefined : { intervalMs: row.interval_ms, ...(row.repetitions === null ? {} : { repetitions: row.repetitions }) }
  return {
    actorType: row.actor_type,
    actorId: row.actor_id,
    name: row.name,
    spec: { dueTime: row.due_time, period: row.period, data: JSON.parse(row.data) as unknown },
    period,
    nextAt: row.next_at,
    firings: row.firings,
  }
}

const selected = 'actor_type, actor_id, name, due_time, period, data, interval_ms, repetitions, next_at, firings'

/** Keeps the reminders in SQLite, so they fire after a restart. */
export function createReminderStore(db: DatabaseSync): ReminderStore {
  // Times are REAL: a Go duration may be a fraction of a millisecond ("1500us").
  db.exec(`
    CREATE TABLE IF NOT EXISTS actor_reminders (
      actor_type TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      name TEXT NOT NULL,
      due_time TEXT NOT NULL,
      period TEXT NOT NULL,
      data TEXT NOT NULL,
      interval_ms REAL,
      repetitions INTEGER,
      next_at REAL NOT NULL,
      firings INTEGER NOT NULL,
      PRIMARY KEY (actor_type, actor_id, name)
    ) STRICT;
  `)
  const all = db.prepare(`SELECT ${selected} FROM actor_reminders`)
  const byKey = db.prepare(`SELECT ${selected} FROM actor_reminders WHERE actor_type = ? AND actor_id = ? AND name = ?`)
  const upsert = db.prepare(`
    INSERT OR REPLACE INTO actor_reminders (${selected})
    VALUES ($actor_type, $actor_id, $name, $due_time, $period, $data, $interval_ms, $repetitions, $next_at, $firings)`)
  const remove = db.prepare('DELETE FROM actor_reminders WHERE actor_type = ? AND actor_id = ? AND name = ?')
  const actorCount = db.prepare('SELECT COUNT(DISTINCT actor_id) AS n FROM actor_reminders WHERE actor_type = ?')

  return {
    all: () => (all.all() as ReminderRow[]).map(toReminder),
    get(actorType, actorId, name) {
      const row = byKey.get(actorType, actorId, name) as ReminderRow | undefined
      return row && toReminder(row)
    },
    save(reminder) {
      upsert.run({
        actor_type: reminder.actorType,
        actor_id: reminder.actorId,
        name: reminder.name,
        due_time: reminder.spec.dueTime,
        period: reminder.spec.period,
        data: JSON.stringify(reminder.spec.data ?? null),
        interval_ms: reminder.period?.intervalMs ?? null,
        repetitions: reminder.period?.repetitions ?? null,
        next_at: reminder.nextAt,
        firings: reminder.firings,
      })
    },
    delete: (actorType, actorId, name) => void remove.run(actorType, actorId, name),
    actorCount: (actorType) => (actorCount.get(actorType) as { n: number }).n,
  }
}
