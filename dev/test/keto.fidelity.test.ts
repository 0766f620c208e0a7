import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startKeto } from '../src/keto'
import { startRealKeto } from '../src/platform/ory'
import { claimResources, platformUrls } from '../src/platform/resources'

// The project's permission model (ory/keto/namespaces.keto.ts) asked of whichever Keto this tier has: the
// stand-in in the contract tier, real Keto on PostgreSQL in the platform tier (PLATFORM_PUBSUB set).
const real = Boolean(process.env.PLATFORM_PUBSUB)
let readUrl: string
let writeUrl: string
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  if (real) {
    const resources = await claimResources(`k${randomBytes(4).toString('hex')}`, platformUrls(process.env), { keep: false, redisDb: 0 })
    closers.push(() => resources.remove())
    const runDir = mkdtempSync(join(tmpdir(), 'keto-fidelity-'))
    closers.push(async () => rmSync(runDir, { recursive: true, force: true }))
    const keto = await startRealKeto({ bin: inject('platformBin'), runDir, dsn: resources.postgresDsn(resources.databases.keto) })
    closers.push(() => keto.process.stop())
    ;({ url: readUrl, writeUrl } = keto)
  } else {
    const keto = await startKeto({ readPort: 0, writePort: 0 })
    closers.push(() => keto.close())
    ;({ readUrl, writeUrl } = keto)
  }
  const user = (namespace: string, object: string, relation: string, subject_id: string) => ({ namespace, object, relation, subject_id })
  const parent = (namespace: string, object: string, parentNamespace: string, parentObject: string) => ({
    namespace, object, relation: 'parents', subject_set: { namespace: parentNamespace, object: parentObject, relation: '' },
  })
  const tuples = [
    user('Ticket', 't1', 'owners', 'alice'),
    { namespace: 'Ticket', object: 't2', relation: 'owners', subject_set: { namespace: 'Group', object: 'sellers', relation: 'members' } },
    user('Group', 'sellers', 'members', 'bob'),
    user('Order', 'o1', 'owners', 'carol'),
    parent('Order', 'o1', 'Ticket', 't1'),
    user('Payment', 'p1', 'owners', 'carol'),
    parent('Payment', 'p1', 'Order', 'o1'),
  ]
  const res = await fetch(`${writeUrl}/admin/relation-tuples`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tuples.map((relation_tuple) => ({ action: 'insert', relation_tuple }))),
  })
  expect(res.status).toBe(204)
}, 120_000)
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

const query = (namespace: string, object: string, relation: string, subject: string) =>
  new URLSearchParams({ namespace, object, relation, subject_id: subject })

async function allowed(namespace: string, object: string, relation: string, subject: string): Promise<boolean> {
  const res = await fetch(`${readUrl}/relation-tuples/check/openapi?${query(namespace, object, relation, subject)}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { allowed: boolean }).allowed
}

describe(`the project's permission model on ${real ? 'real Keto' : 'the Keto stand-in'}`, () => {
  it('when every permit is checked for the seller, the group seller, the buyer and a stranger, then both Ketos agree', async () => {
    const people = ['alice', 'bob', 'carol', 'dave']
    const permits = [
      ['Ticket', 't1', 'edit'], ['Ticket', 't1', 'order'], ['Ticket', 't2', 'edit'], ['Ticket', 't2', 'order'],
      ['Order', 'o1', 'view'], ['Order', 'o1', 'edit'], ['Payment', 'p1', 'view'], ['Payment', 'p1', 'edit'],
    ] as const
    const matrix: Record<string, string[]> = {}
    for (const [namespace, object, relation] of permits) {
      const who = []
      for (const person of people) if (await allowed(namespace, object, relation, person)) who.push(person)
      matrix[`${namespace}:${object}#${relation}`] = who
    }

    expect(matrix).toEqual({
      'Ticket:t1#edit': ['alice'],
      'Ticket:t1#order': ['bob', 'carol', 'dave'],
      'Ticket:t2#edit': ['bob'],
      'Ticket:t2#order': ['alice', 'carol', 'dave'],
      'Order:o1#view': ['alice', 'carol'],
      'Order:o1#edit': ['carol'],
      'Payment:p1#view': ['alice', 'carol'],
      'Payment:p1#edit': ['carol'],
    })
  })

  it('when the plain check endpoint denies, then it answers 403 {allowed: false}; when it allows, 200 {allowed: true}', async () => {
    const denied = await fetch(`${readUrl}/relation-tuples/check?${query('Ticket', 't1', 'edit', 'dave')}`)
    const granted = await fetch(`${readUrl}/relation-tuples/check?${query('Ticket', 't1', 'edit', 'alice')}`)

    expect([denied.status, await denied.json()]).toEqual([403, { allowed: false }])
    expect([granted.status, await granted.json()]).toEqual([200, { allowed: true }])
  })

  it('when tuples are listed by object, then the answer holds them with subject ids and subject sets as written', async () => {
    const res = await fetch(`${readUrl}/relation-tuples?namespace=Order&object=o1`)
    const body = (await res.json()) as { relation_tuples: unknown[]; next_page_token: string }

    expect(res.status).toBe(200)
    expect(body.relation_tuples).toHaveLength(2)
    expect(body.relation_tuples).toContainEqual({ namespace: 'Order', object: 'o1', relation: 'owners', subject_id: 'carol' })
    expect(body.relation_tuples).toContainEqual({
      namespace: 'Order', object: 'o1', relation: 'parents', subject_set: { namespace: 'Ticket', object: 't1', relation: '' },
    })
    expect(body.next_page_token).toBe('')
  })

  it('when a check names a namespace the model lacks, then it answers 200 {allowed: false}', async () => {
    const res = await fetch(`${readUrl}/relation-tuples/check/openapi?${query('Nowhere', 'x', 'view', 'alice')}`)

    expect([res.status, await res.json()]).toEqual([200, { allowed: false }])
  })
})
