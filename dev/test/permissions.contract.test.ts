import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKeto, type RunningKeto } from '../src/keto'

// The permission matrix of ory/keto/namespaces.keto.ts, asked through the stand-in's HTTP API
// with the relationships the services write when they create things.
const parent = (namespace: string, object: string) => ({ namespace, object, relation: '' })
const relationships = [
  { namespace: 'Ticket', object: 'solo-ticket', relation: 'owners', subject_id: 'seller' },
  { namespace: 'Group', object: 'box-office', relation: 'members', subject_id: 'member' },
  { namespace: 'Ticket', object: 'group-ticket', relation: 'owners', subject_set: { namespace: 'Group', object: 'box-office', relation: 'members' } },
  { namespace: 'Order', object: 'order', relation: 'owners', subject_id: 'buyer' },
  { namespace: 'Order', object: 'order', relation: 'parents', subject_set: parent('Ticket', 'solo-ticket') },
  { namespace: 'Payment', object: 'payment', relation: 'owners', subject_id: 'buyer' },
  { namespace: 'Payment', object: 'payment', relation: 'parents', subject_set: parent('Order', 'order') },
  { namespace: 'Order', object: 'group-order', relation: 'owners', subject_id: 'buyer' },
  { namespace: 'Order', object: 'group-order', relation: 'parents', subject_set: parent('Ticket', 'group-ticket') },
  { namespace: 'Payment', object: 'group-payment', relation: 'owners', subject_id: 'buyer' },
  { namespace: 'Payment', object: 'group-payment', relation: 'parents', subject_set: parent('Order', 'group-order') },
]

let keto: RunningKeto

beforeAll(async () => {
  keto = await startKeto()
  const patch = relationships.map((relation_tuple) => ({ action: 'insert', relation_tuple }))
  const res = await fetch(`${keto.writeUrl}/admin/relation-tuples`, { method: 'PATCH', body: JSON.stringify(patch) })
  expect(res.status).toBe(204)
})
afterAll(async () => {
  await keto.close()
})

async function allowed(namespace: string, object: string, relation: string, subject_id: string, maxDepth?: number): Promise<boolean> {
  const query = new URLSearchParams({ namespace, object, relation, subject_id })
  if (maxDepth !== undefined) query.set('max-depth', String(maxDepth))
  const res = await fetch(`${keto.readUrl}/relation-tuples/check/openapi?${query}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { allowed: boolean }).allowed
}

type Cell = { who: string; subject: string; object: string; permission: string; expected: boolean }

describe('Ticket', () => {
  it.each<Cell>([
    { who: 'the owner', subject: 'seller', object: 'solo-ticket', permission: 'edit', expected: true },
    { who: 'the owner', subject: 'seller', object: 'solo-ticket', permission: 'order', expected: false },
    { who: 'a stranger', subject: 'stranger', object: 'solo-ticket', permission: 'edit', expected: false },
    { who: 'a stranger', subject: 'stranger', object: 'solo-ticket', permission: 'order', expected: true },
    { who: 'a member of the owning group', subject: 'member', object: 'group-ticket', permission: 'edit', expected: true },
    { who: 'a member of the owning group', subject: 'member', object: 'group-ticket', permission: 'order', expected: false },
    { who: 'a stranger to the owning group', subject: 'stranger', object: 'group-ticket', permission: 'edit', expected: false },
    { who: 'a stranger to the owning group', subject: 'stranger', object: 'group-ticket', permission: 'order', expected: true },
  ])('when $who asks $permission on $object, then allowed is $expected', async ({ subject, object, permission, expected }) => {
    expect(await allowed('Ticket', object, permission, subject)).toBe(expected)
  })
})

describe('Order', () => {
  it.each<Cell>([
    { who: 'the buyer (owner)', subject: 'buyer', object: 'order', permission: 'view', expected: true },
    { who: 'the buyer (owner)', subject: 'buyer', object: 'order', permission: 'edit', expected: true },
    { who: 'the seller (owns the parent ticket)', subject: 'seller', object: 'order', permission: 'view', expected: true },
    { who: 'the seller (owns the parent ticket)', subject: 'seller', object: 'order', permission: 'edit', expected: false },
    { who: 'a stranger', subject: 'stranger', object: 'order', permission: 'view', expected: false },
    { who: 'a stranger', subject: 'stranger', object: 'order', permission: 'edit', expected: false },
    { who: 'a member of the selling group', subject: 'member', object: 'group-order', permission: 'view', expected: true },
    { who: 'a member of the selling group', subject: 'member', object: 'group-order', permission: 'edit', expected: false },
  ])('when $who asks $permission on $object, then allowed is $expected', async ({ subject, object, permission, expected }) => {
    expect(await allowed('Order', object, permission, subject)).toBe(expected)
  })
})

describe('Payment', () => {
  it.each<Cell>([
    { who: 'the buyer (owner)', subject: 'buyer', object: 'payment', permission: 'view', expected: true },
    { who: 'the buyer (owner)', subject: 'buyer', object: 'payment', permission: 'edit', expected: true },
    { who: 'the seller (may view the parent order)', subject: 'seller', object: 'payment', permission: 'view', expected: true },
    { who: 'the seller (may view the parent order)', subject: 'seller', object: 'payment', permission: 'edit', expected: false },
    { who: 'a stranger', subject: 'stranger', object: 'payment', permission: 'view', expected: false },
    { who: 'a stranger', subject: 'stranger', object: 'payment', permission: 'edit', expected: false },
    { who: 'a member of the selling group', subject: 'member', object: 'group-payment', permission: 'view', expected: true },
    { who: 'a member of the selling group', subject: 'member', object: 'group-payment', permission: 'edit', expected: false },
  ])('when $who asks $permission on $object, then allowed is $expected', async ({ subject, object, permission, expected }) => {
    expect(await allowed('Payment', object, permission, subject)).toBe(expected)
  })
})

describe('max-depth (Keto\'s check groups: running out of depth finds nothing, it is not "unknown")', () => {
  it('when a stranger asks order on a ticket with max-depth 1, then allowed is true: the owners lookup finds no member, so ! grants it', async () => {
    expect(await allowed('Ticket', 'solo-ticket', 'order', 'stranger', 1)).toBe(true)
  })

  it('when the owner asks order with max-depth 1, then allowed is true too, because depth 1 is too shallow to see the owners tuple', async () => {
    expect(await allowed('Ticket', 'solo-ticket', 'order', 'seller', 1)).toBe(true)
    expect(await allowed('Ticket', 'solo-ticket', 'order', 'seller', 2)).toBe(false)
  })
})
