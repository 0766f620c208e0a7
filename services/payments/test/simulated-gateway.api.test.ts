import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type DatabaseSync } from '@ticketing/shared/sqlite'
import type { NewIntent } from '../src/gateway/payment-gateway'
import { createSimulatedGateway } from '../src/gateway/simulated.gateway'
import { REMEMBERED_KEYS } from '../src/gateway/simulated.sqlite'

const newIntent = (fields: Partial<NewIntent> = {}): NewIntent =>
  ({ amount: 4200, currency: 'usd', metadata: { orderId: 'o1', userId: 'ann' }, idempotencyKey: `order-${crypto.randomUUID()}`, ...fields })

describe('simulated gateway on an SQLite file', () => {
  let dir: string
  let file: string
  const opened: DatabaseSync[] = []
  const open = () => {
    const db = openSqlite(file)
    opened.push(db)
    return db
  }
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simulated-gateway-'))
    file = join(dir, 'payments.db')
  })
  afterEach(async () => {
    for (const db of opened.splice(0)) if (db.isOpen) db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('when the database is reopened, then intents keep their state and idempotency keys keep their first answers', async () => {
    const before = open()
    const first = createSimulatedGateway(before)
    const waiting = newIntent({ idempotencyKey: 'order-o1' })
    const created = await first.createIntent(waiting)
    const authenticating = created.status === 'created' ? created.id : ''
    expect(await first.confirm({ intentId: authenticating, paymentMethod: 'pm_card_authenticationRequired', idempotencyKey: 'k-3ds' }))
      .toMatchObject({ status: 'requires_action', id: authenticating })
    const other = await first.createIntent(newIntent())
    const declined = other.status === 'created' ? other.id : ''
    const decline = await first.confirm({ intentId: declined, paymentMethod: 'pm_card_chargeDeclined', idempotencyKey: 'k-declined' })
    expect(decline).toEqual({ status: 'declined', code: 'card_declined', message: 'Your card was declined.' })
    before.close()

    const after = createSimulatedGateway(open())

    expect(after.authenticate(authenticating)).toBe('succeeded')
    expect(await after.confirm({ intentId: authenticating, paymentMethod: 'pm_card_visa', idempotencyKey: 'k-visa-1' }))
      .toEqual({ status: 'succeeded', id: authenticating, alreadySucceeded: true })
    expect(await after.confirm({ intentId: declined, paymentMethod: 'pm_card_visa', idempotencyKey: 'k-visa-2' }))
      .toEqual({ status: 'succeeded', id: declined })
    expect(await after.createIntent(waiting)).toEqual(created)
    expect(await after.confirm({ intentId: declined, paymentMethod: 'pm_card_chargeDeclined', idempotencyKey: 'k-declined' })).toEqual(decline)
    expect(await after.createIntent({ ...waiting, amount: 100 })).toMatchObject({ status: 'rejected', code: 'idempotency_error' })
  })

  it('when more keys are answered than are remembered, then the oldest is forgotten and the table stays at the limit', async () => {
    const db = openSqlite(':memory:')
    opened.push(db)
    const gateway = createSimulatedGateway(db)
    const oldest = await gateway.createIntent(newIntent({ idempotencyKey: 'k-0' }))
    for (let i = 1; i <= REMEMBERED_KEYS; i++) await gateway.createIntent(newIntent({ idempotencyKey: `k-${i}` }))

    expect(db.prepare('SELECT count(*) AS n FROM sim_answers').get()).toEqual({ n: REMEMBERED_KEYS })
    const forgotten = await gateway.createIntent(newIntent({ idempotencyKey: 'k-0' }))
    expect(forgotten).toMatchObject({ status: 'created' })
    expect(forgotten).not.toEqual(oldest)
    const newest = await gateway.createIntent(newIntent({ idempotencyKey: `k-${REMEMBERED_KEYS}` }))
    expect(await gateway.createIntent(newIntent({ idempotencyKey: `k-${REMEMBERED_KEYS}` }))).toEqual(newest)
  })
})
