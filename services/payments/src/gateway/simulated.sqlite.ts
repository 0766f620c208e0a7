import type { DatabaseSync } from '@ticketing/shared/sqlite'

export type IntentStatus = 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled'
export type Intent = { id: string; clientSecret: string; amount: number; status: IntentStatus; refundId?: string }
/** The first answer given for an idempotency key, and the request it answered, as JSON. */
export type Answer = { fingerprint: string; result: string }

type IntentRow = { id: string; client_secret: string; amount: number; status: IntentStatus; refund_id: string | null }

// Stripe forgets keys after 24 hours; the simulator forgets the oldest beyond these, so its tables stay bounded.
export const REMEMBERED_KEYS = 10_000
export const REMEMBERED_INTENTS = 100_000

const toIntent = ({ id, client_secret, amount, status, refund_id }: IntentRow): Intent =>
  ({ id, clientSecret: client_secret, amount, status, ...(refund_id === null ? {} : { refundId: refund_id }) })

/**
 * The simulator's state in SQLite: its intents and its answers by idempotency key. The `sim_` prefix keeps the tables
 * apart from the payments service's own in the same file. Writes that belong together are the caller's transaction.
 */
export function simulatedTables(db: DatabaseSync) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS sim_intents (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      client_secret TEXT NOT NULL,
      amount INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('requires_payment_method', 'requires_action', 'succeeded', 'canceled')),
      refund_id TEXT
    ) STRICT;
    CREATE TABLE IF NOT EXISTS sim_answers (
      seq INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      fingerprint TEXT NOT NULL,
      result TEXT NOT NULL
    ) STRICT;
  `)
  // A new row's seq is the largest plus one and only the oldest rows are deleted, so the newest `limit` rows are kept.
  const insertIntent = db.prepare('INSERT INTO sim_intents (id, client_secret, amount, status) VALUES (?, ?, ?, ?)')
  const forgetIntents = db.prepare('DELETE FROM sim_intents WHERE seq <= (SELECT max(seq) FROM sim_intents) - ?')
  const selectIntent = db.prepare('SELECT id, client_secret, amount, status, refund_id FROM sim_intents WHERE id = ?')
  const updateStatus = db.prepare('UPDATE sim_intents SET status = ? WHERE id = ?')
  const updateRefund = db.prepare('UPDATE sim_intents SET refund_id = ? WHERE id = ?')
  const insertAnswer = db.prepare('INSERT INTO sim_answers (key, fingerprint, result) VALUES (?, ?, ?)')
  const forgetAnswers = db.prepare('DELETE FROM sim_answers WHERE seq <= (SELECT max(seq) FROM sim_answers) - ?')
  const selectAnswer = db.prepare('SELECT fingerprint, result FROM sim_answers WHERE key = ?')

  return {
    intent(id: string): Intent | undefined {
      const row = selectIntent.get(id) as IntentRow | undefined
      return row && toIntent(row)
    },
    addIntent({ id, clientSecret, amount, status }: Intent) {
      insertIntent.run(id, clientSecret, amount, status)
      forgetIntents.run(REMEMBERED_INTENTS)
    },
    setStatus(id: string, status: IntentStatus) {
      updateStatus.run(status, id)
    },
    setRefund(id: string, refundId: string) {
      updateRefund.run(refundId, id)
    },
    answer: (key: string) => selectAnswer.get(key) as Answer | undefined,
    addAnswer(key: string, { fingerprint, result }: Answer) {
      insertAnswer.run(key, fingerprint, result)
      forgetAnswers.run(REMEMBERED_KEYS)
    },
  }
}
