import { beforeEach, describe, expect, it } from 'vitest'
import { withMongo } from '@ticketing/shared/testing/mongo'
import { newTicket, type Ticket } from '../src/domain/ticket'
import { createMemoryTicketsStore, type TicketsStore } from '../src/storage/tickets.store'
import { createMongoTicketsStore } from '../src/storage/tickets.mongo'

const at = new Date('2026-06-01T10:00:00.000Z')
const ticket = (id: string, title = `Ticket ${id}`): Ticket =>
  newTicket({ id, userId: 'seller', title, description: 'Row 5', price: 1500 }, at)
const event = (id: string) => ({ id, topic: 'ticket.created' as const, data: { id } })

/** The behaviour every TicketsStore adapter must share. */
function storageContract(name: string, makeStore: () => Promise<TicketsStore>) {
  describe(`${name} tickets store`, () => {
    let store: TicketsStore
    beforeEach(async () => {
      store = await makeStore()
    })

    it('when a ticket is inserted, then get returns an equal plain object', async () => {
      await store.insert(ticket('a'), [])
      expect(await store.get('a')).toEqual(ticket('a'))
      expect(await store.get('missing')).toBeNull()
    })

    it('when the same id is inserted twice, then the second insert fails', async () => {
      await store.insert(ticket('a'), [])
      await expect(store.insert(ticket('a'), [])).rejects.toThrow()
    })

    it('when searching, then titles match in any case, newest id first, after the cursor, up to the limit', async () => {
      for (const [id, title] of [['01', 'Radiohead Berlin'], ['02', 'Opera night'], ['03', 'RADIOHEAD Paris'], ['04', 'radiohead (live)']]) {
        await store.insert(ticket(id!, title), [])
      }
      const first = await store.search({ q: 'radiohead', limit: 2 })
      expect(first.map((t) => t.id)).toEqual(['04', '03'])
      const next = await store.search({ q: 'radiohead', limit: 2, after: '03' })
      expect(next.map((t) => t.id)).toEqual(['01'])
      expect((await store.search({ limit: 10 })).map((t) => t.id)).toEqual(['04', '03', '02', '01'])
    })

    it('when the query holds regex characters, then they match literally', async () => {
      await store.insert(ticket('01', 'radiohead (live)'), [])
      await store.insert(ticket('02', 'radiohead live'), [])
      expect((await store.search({ q: '(live)', limit: 10 })).map((t) => t.id)).toEqual(['01'])
      expect(await store.search({ q: '.*', limit: 10 })).toEqual([])
    })

    it('when replacing at the expected version, then it is stored; at a stale version, then nothing changes', async () => {
      await store.insert(ticket('a'), [])
      const edited = { ...ticket('a'), title: 'Edited', version: 2 }
      expect(await store.replace(edited, 1, [])).toBe(true)
      expect(await store.replace({ ...edited, title: 'Lost', version: 3 }, 1, [])).toBe(false)
      expect(await store.get('a')).toMatchObject({ title: 'Edited', version: 2 })
      expect(await store.replace(ticket('missing'), 1, [])).toBe(false)
    })

    it('when a reserved ticket is released, then orderId is gone', async () => {
      await store.insert({ ...ticket('a'), orderId: 'o1' }, [])
      const { orderId: _gone, ...released } = { ...ticket('a'), orderId: 'o1', version: 2 }
      await store.replace(released, 1, [])
      expect(await store.get('a')).not.toHaveProperty('orderId')
    })

    it('when writes carry events, then they are pending in order until marked sent', async () => {
      await store.insert(ticket('a'), [event('e1')])
      await store.replace({ ...ticket('a'), version: 2 }, 1, [event('e2')])
      await store.insert(ticket('b'), [])
      expect(await store.pending(10)).toEqual([{ key: 'a', events: [event('e1'), event('e2')] }])
      await store.markSent('a', [event('e1')])
      expect(await store.pending(10)).toEqual([{ key: 'a', events: [event('e2')] }])
      await store.markSent('a', [event('e2')])
      expect(await store.pending(10)).toEqual([])
    })
  })
}

storageContract('in-memory', async () => createMemoryTicketsStore())

withMongo((freshDb) => storageContract('MongoDB', async () => createMongoTicketsStore(await freshDb())))
