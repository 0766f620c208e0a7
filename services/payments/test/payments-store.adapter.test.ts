import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openSqlite } from '@ticketing/shared/sqlite'
import { withMongo } from '@ticketing/shared/testing/mongo'
import type { OrderReplica } from '../src/domain/order'
import { newPayment, type Payment } from '../src/domain/payment'
import type { PaymentsStore } from '../src/storage/payments.store'
import { createMongoPaymentsStore } from '../src/storage/payments.mongo'
import { createSqlitePaymentsStore } from '../src/storage/payments.sqlite'

const at = new Date('2026-06-01T10:00:00.000Z')
const order = (fields: Partial<OrderReplica> = {}): OrderReplica =>
  ({ id: 'o1', userId: 'ann', status: 'created', version: 1, price: 4200, expiresAt: '2026-06-01T10:15:00.000Z', ...fields })
const payment = (id: string, orderId = 'o1', stripeId = `pi_${id}`): Payment => newPayment({ id, orderId, stripeId, userId: 'ann' }, at)
const event = (id: string) => ({ id, topic: 'payment.created' as const, data: { id } })

/**
 * The behaviour every PaymentsStore adapter must share. `atomicUpdates: false` leaves out the races that
 * need single-document atomic conditional updates, which MongoDB guarantees but the FerretDB 1.24 test
 * server does not (it reads, then writes: two guarded updates of one document can both apply). Those races
 * run on SQLite, whose guarded `UPDATE … WHERE intent_id IS ?` is one atomic statement.
 */
function storageContract(name: string, makeStore: () => Promise<PaymentsStore>, { atomicUpdates = true } = {}) {
  describe(`${name} payments store`, () => {
    let store: PaymentsStore
    beforeEach(async () => {
      store = await makeStore()
    })

    it('when an order is applied, then getOrder returns an equal plain object', async () => {
      expect(await store.applyOrder(order())).toBe(true)
      expect(await store.getOrder('o1')).toEqual(order())
      expect(await store.getOrder('missing')).toBeNull()
    })

    it('when the same or an older version is applied, then it is refused and nothing changes', async () => {
      const cancelled = order({ status: 'cancelled', version: 2, price: undefined, expiresAt: undefined })
      await store.applyOrder(cancelled)
      expect(await store.applyOrder(cancelled)).toBe(false)
      expect(await store.applyOrder(order())).toBe(false)
      const held = await store.getOrder('o1')
      expect(held).toEqual({ id: 'o1', userId: 'ann', status: 'cancelled', version: 2 })
    })

    it('when a newer version carries no price nor end, then the held ones stay', async () => {
      await store.applyOrder(order())
      const completed: OrderReplica = { id: 'o1', userId: 'ann', status: 'complete', version: 2 }
      expect(await store.applyOrder(completed)).toBe(true)
      expect(await store.getOrder('o1')).toEqual(order({ status: 'complete', version: 2 }))
    })

    it('when versions 1 and 2 of a new order are applied at once, then the replica always ends at version 2', async () => {
      for (let round = 0; round < 20; round++) {
        const id = `race-${round}`
        const cancelled = order({ id, status: 'cancelled', version: 2, price: undefined, expiresAt: undefined })
        const results = await Promise.all(round % 2 ? [store.applyOrder(order({ id })), store.applyOrder(cancelled)] : [store.applyOrder(cancelled), store.applyOrder(order({ id }))])
        expect(await store.getOrder(id)).toMatchObject({ status: 'cancelled', version: 2 })
        expect(results).toContain(true)
      }
    })

    it('when the first intent is swapped in, then it is recorded and returned, and a later first one returns it unchanged', async () => {
      await store.applyOrder(order())
      expect(await store.swapIntent('o1', undefined, 'pi_a')).toBe('pi_a')
      expect(await store.swapIntent('o1', undefined, 'pi_b')).toBe('pi_a')
      expect(await store.getOrder('o1')).toEqual({ ...order(), intentId: 'pi_a' })
    })

    it.runIf(atomicUpdates)('when first intents are swapped in at once, then the first is kept and returned to every caller', async () => {
      await store.applyOrder(order())
      const recorded = await Promise.all([store.swapIntent('o1', undefined, 'pi_a'), store.swapIntent('o1', undefined, 'pi_b')])
      expect(new Set(recorded).size).toBe(1)
      expect(await store.swapIntent('o1', undefined, 'pi_c')).toBe(recorded[0])
      expect(await store.getOrder('o1')).toEqual({ ...order(), intentId: recorded[0] })
    })

    it('when a canceled intent is swapped for a new one, then the new one is recorded and returned, but only while the old one is recorded', async () => {
      await store.applyOrder(order())
      await store.swapIntent('o1', undefined, 'pi_a')
      expect(await store.swapIntent('o1', 'pi_a', 'pi_b')).toBe('pi_b')
      expect(await store.getOrder('o1')).toEqual({ ...order(), intentId: 'pi_b' })
      expect(await store.swapIntent('o1', 'pi_a', 'pi_c')).toBe('pi_b')
      expect(await store.getOrder('o1')).toEqual({ ...order(), intentId: 'pi_b' })
    })

    it.runIf(atomicUpdates)('when swaps of the same canceled intent race, then one is kept and returned to every caller', async () => {
      await store.applyOrder(order())
      await store.swapIntent('o1', undefined, 'pi_a')
      const recorded = await Promise.all([store.swapIntent('o1', 'pi_a', 'pi_b'), store.swapIntent('o1', 'pi_a', 'pi_c')])
      expect(new Set(recorded).size).toBe(1)
      expect(['pi_b', 'pi_c']).toContain(recorded[0])
      expect(await store.getOrder('o1')).toEqual({ ...order(), intentId: recorded[0] })
    })

    it('when a newer order event arrives after the intent was recorded, then the intent id stays', async () => {
      await store.applyOrder(order())
      await store.swapIntent('o1', undefined, 'pi_a')
      await store.applyOrder(order({ status: 'cancelled', version: 2, price: undefined, expiresAt: undefined }))
      expect(await store.getOrder('o1')).toEqual(order({ status: 'cancelled', version: 2, intentId: 'pi_a' }))
    })

    it('when the same order is applied concurrently, then exactly one write wins', async () => {
      const results = await Promise.all([store.applyOrder(order()), store.applyOrder(order()), store.applyOrder(order())])
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(await store.getOrder('o1')).toEqual(order())
    })

    it('when a payment is inserted, then it is found by id and by order', async () => {
      expect(await store.insertPayment(payment('p1'), [])).toBe(true)
      expect(await store.getPayment('p1')).toEqual(payment('p1'))
      expect(await store.findPaymentByOrder('o1')).toEqual(payment('p1'))
      expect(await store.getPayment('missing')).toBeNull()
      expect(await store.findPaymentByOrder('o2')).toBeNull()
    })

    it('when a second payment for the same order is inserted, even at once, then only one is stored', async () => {
      const results = await Promise.all([store.insertPayment(payment('p1'), [event('e1')]), store.insertPayment(payment('p2'), [event('e2')])])
      expect(results.sort()).toEqual([false, true])
      expect(await store.insertPayment(payment('p3'), [])).toBe(false)
      const kept = await store.findPaymentByOrder('o1')
      expect(['p1', 'p2']).toContain(kept?.id)
      expect((await store.pending(10)).flatMap((row) => row.events)).toHaveLength(1)
    })

    it('when a payment is marked refunded, then it reads as refunded, and marking again changes nothing', async () => {
      await store.insertPayment(payment('p1'), [])
      await store.markRefunded('p1')
      await store.markRefunded('p1')
      expect(await store.getPayment('p1')).toEqual({ ...payment('p1'), refunded: true })
      expect(await store.findPaymentByOrder('o1')).toEqual({ ...payment('p1'), refunded: true })
    })

    it('when payments carry events, then they are pending until marked sent', async () => {
      await store.insertPayment(payment('p1'), [event('e1')])
      await store.insertPayment(payment('p2', 'o2'), [])
      expect(await store.pending(10)).toEqual([{ key: 'p1', events: [event('e1')] }])
      await store.markSent('p1', [event('e1')])
      expect(await store.pending(10)).toEqual([])
    })
  })
}

storageContract('SQLite', async () => createSqlitePaymentsStore(openSqlite(':memory:')))

describe('SQLite payments store in a file', () => {
  it('when the database is closed and opened again, then the replica, the payment and its pending events are all still there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'payments-store-'))
    try {
      const file = join(dir, 'payments.db')
      const first = openSqlite(file)
      const before = createSqlitePaymentsStore(first)
      await before.applyOrder(order())
      await before.applyOrder(order({ id: 'o2', status: 'cancelled', version: 3, price: undefined, expiresAt: undefined }))
      await before.swapIntent('o1', undefined, 'pi_p1')
      await before.insertPayment(payment('p1'), [event('e1')])
      await before.insertPayment(payment('p2', 'o2'), [event('e2')])
      await before.markRefunded('p2')
      first.close()

      const second = openSqlite(file)
      const after = createSqlitePaymentsStore(second)
      expect(await after.getOrder('o1')).toEqual({ ...order(), intentId: 'pi_p1' })
      expect(await after.getOrder('o2')).toEqual({ id: 'o2', userId: 'ann', status: 'cancelled', version: 3 })
      expect(await after.getPayment('p1')).toEqual(payment('p1'))
      expect(await after.findPaymentByOrder('o2')).toEqual({ ...payment('p2', 'o2'), refunded: true })
      expect(await after.pending(10)).toEqual([{ key: 'p1', events: [event('e1')] }, { key: 'p2', events: [event('e2')] }])
      expect(await after.applyOrder(order())).toBe(false)
      expect(await after.insertPayment(payment('p3'), [])).toBe(false)
      second.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

withMongo((freshDb) => storageContract('MongoDB', async () => createMongoPaymentsStore(await freshDb()), { atomicUpdates: false }))
