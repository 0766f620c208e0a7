import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '@ticketing/shared/sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startKeto, type RunningKeto } from '../src/keto'

// What `npm start` relies on: Keto stopped and started again on the same file answers exactly as before.
let dir: string
let file: string
let running: { keto: RunningKeto; close(): Promise<void> } | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keto-durability-'))
  file = join(dir, 'keto.db')
})
afterEach(async () => {
  await running?.close()
  running = undefined
  await rm(dir, { recursive: true, force: true })
})

async function start(at: string): Promise<RunningKeto> {
  await running?.close()
  const db = openSqlite(at)
  const keto = await startKeto({ db })
  running = {
    keto,
    close: async () => {
      await keto.close()
      db.close()
    },
  }
  return keto
}

const parent = (namespace: string, object: string) => ({ namespace, object, relation: '' })
const ticketOwner = (object: string, subject_id: string) => ({ namespace: 'Ticket', object, relation: 'owners', subject_id })
const groupTicket = { namespace: 'Ticket', object: 't2', relation: 'owners', subject_set: { namespace: 'Group', object: 'g', relation: 'members' } }
const member = { namespace: 'Group', object: 'g', relation: 'members', subject_id: 'member' }
const buyerOwnsOrder = { namespace: 'Order', object: 'o1', relation: 'owners', subject_id: 'buyer' }
const orderOfTicket = { namespace: 'Order', object: 'o1', relation: 'parents', subject_set: parent('Ticket', 't1') }
const orderOfGroupTicket = { namespace: 'Order', object: 'o2', relation: 'parents', subject_set: parent('Ticket', 't2') }
const paymentOfOrder = { namespace: 'Payment', object: 'p1', relation: 'parents', subject_set: parent('Order', 'o1') }

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
}
const put = (keto: RunningKeto, tuple: object) => call(keto.writeUrl, 'PUT', '/admin/relation-tuples', tuple)
const patch = (keto: RunningKeto, deltas: Array<['insert' | 'delete', object]>) =>
  call(keto.writeUrl, 'PATCH', '/admin/relation-tuples', deltas.map(([action, relation_tuple]) => ({ action, relation_tuple })))
const list = async (keto: RunningKeto, query: string) =>
  (await call(keto.readUrl, 'GET', `/relation-tuples?${query}`)).body as { relation_tuples: object[]; next_page_token: string }

type Ask = [namespace: string, object: string, permission: string, subject: string]
async function answers(keto: RunningKeto, asks: Ask[]): Promise<boolean[]> {
  return Promise.all(
    asks.map(async ([namespace, object, relation, subject_id]) => {
      const query = new URLSearchParams({ namespace, object, relation, subject_id })
      return ((await call(keto.readUrl, 'GET', `/relation-tuples/check/openapi?${query}`)).body as { allowed: boolean }).allowed
    }),
  )
}

async function writeMarketplace(keto: RunningKeto) {
  expect((await put(keto, ticketOwner('t1', 'seller'))).status).toBe(201)
  const inserted = await patch(keto, [
    ['insert', member],
    ['insert', groupTicket],
    ['insert', buyerOwnsOrder],
    ['insert', orderOfTicket],
    ['insert', orderOfGroupTicket],
    ['insert', paymentOfOrder],
  ])
  expect(inserted.status).toBe(204)
}

describe('Keto on a file: relationships survive a restart', () => {
  const asks: Ask[] = [
    ['Ticket', 't1', 'edit', 'seller'],
    ['Ticket', 't1', 'order', 'seller'],
    ['Ticket', 't2', 'edit', 'member'],
    ['Ticket', 't2', 'order', 'stranger'],
    ['Order', 'o1', 'edit', 'buyer'],
    ['Order', 'o1', 'view', 'seller'],
    ['Order', 'o1', 'edit', 'seller'],
    ['Order', 'o2', 'view', 'member'],
    ['Order', 'o2', 'view', 'stranger'],
    ['Payment', 'p1', 'view', 'seller'],
    ['Payment', 'p1', 'view', 'buyer'],
  ]
  const expected = [true, false, true, true, true, true, false, true, false, true, true]

  it('when relationships are written with PUT and PATCH and Keto restarts on the same file, then every check answers as before', async () => {
    const first = await start(file)
    await writeMarketplace(first)
    expect(await answers(first, asks)).toEqual(expected)

    const second = await start(file)

    expect(await answers(second, asks)).toEqual(expected)
  })

  it('when Keto restarts, then listings come back in insertion order, and a page token from before the restart still leads on', async () => {
    const first = await start(file)
    await writeMarketplace(first)
    const firstPage = await list(first, 'page_size=4')

    const second = await start(file)

    const all = [ticketOwner('t1', 'seller'), member, groupTicket, buyerOwnsOrder, orderOfTicket, orderOfGroupTicket, paymentOfOrder]
    expect(await list(second, '')).toEqual({ relation_tuples: all, next_page_token: '' })
    expect(await list(second, 'page_size=4')).toEqual(firstPage)
    expect(await list(second, `page_size=4&page_token=${firstPage.next_page_token}`)).toEqual({ relation_tuples: all.slice(4), next_page_token: '' })
    const bySubjectSet = 'namespace=Order&subject_set.namespace=Ticket&subject_set.object=t2&subject_set.relation='
    expect((await list(second, bySubjectSet)).relation_tuples).toEqual([orderOfGroupTicket])
  })

  it('when a tuple written before the restart is written again after it, then it is not duplicated and keeps its place', async () => {
    const first = await start(file)
    await put(first, ticketOwner('t1', 'a'))
    await put(first, ticketOwner('t2', 'b'))

    const second = await start(file)
    await put(second, ticketOwner('t3', 'c'))
    await put(second, ticketOwner('t1', 'a'))
    await patch(second, [['insert', ticketOwner('t2', 'b')]])

    expect((await list(second, 'namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t1', 'a'), ticketOwner('t2', 'b'), ticketOwner('t3', 'c')])
  })
})

describe('Keto on a file: deletes survive a restart', () => {
  it('when tuples are deleted by PATCH and by query before the restart, then after it they are still gone and the rest is intact', async () => {
    const first = await start(file)
    await writeMarketplace(first)
    await put(first, ticketOwner('t1', 'co-seller'))
    expect((await patch(first, [['delete', orderOfTicket], ['insert', ticketOwner('t3', 'x')]])).status).toBe(204)
    expect((await call(first.writeUrl, 'DELETE', '/admin/relation-tuples?namespace=Group&object=g')).status).toBe(204)

    const second = await start(file)

    const asks: Ask[] = [
      ['Order', 'o1', 'view', 'seller'],
      ['Ticket', 't2', 'edit', 'member'],
      ['Order', 'o1', 'edit', 'buyer'],
      ['Ticket', 't1', 'edit', 'co-seller'],
      ['Ticket', 't3', 'edit', 'x'],
    ]
    expect(await answers(second, asks)).toEqual([false, false, true, true, true])
    expect((await list(second, '')).relation_tuples).toEqual([
      ticketOwner('t1', 'seller'),
      groupTicket,
      buyerOwnsOrder,
      orderOfGroupTicket,
      paymentOfOrder,
      ticketOwner('t1', 'co-seller'),
      ticketOwner('t3', 'x'),
    ])
  })

  it('when a PATCH is refused for one bad delta before the restart, then after it none of that patch was applied', async () => {
    const first = await start(file)
    await put(first, ticketOwner('t1', 'seller'))
    const refused = await patch(first, [['delete', ticketOwner('t1', 'seller')], ['insert', ticketOwner('t2', 'b')], ['insert', { ...ticketOwner('t3', 'c'), namespace: 'Nope' }]])
    expect(refused.status).toBe(404)

    const second = await start(file)

    expect((await list(second, '')).relation_tuples).toEqual([ticketOwner('t1', 'seller')])
  })
})
