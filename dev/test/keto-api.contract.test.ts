import { Configuration, PermissionApi, RelationshipApi } from '@ory/keto-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startKeto, type RunningKeto } from '../src/keto'

let keto: RunningKeto

beforeEach(async () => {
  keto = await startKeto()
})
afterEach(async () => {
  await keto.close()
})

const ticketOwner = (object: string, subject_id: string) => ({ namespace: 'Ticket', object, relation: 'owners', subject_id })

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
}
const read = (method: string, path: string, body?: unknown) => call(keto.readUrl, method, path, body)
const write = (method: string, path: string, body?: unknown) => call(keto.writeUrl, method, path, body)
const insert = (...tuples: object[]) =>
  write('PATCH', '/admin/relation-tuples', tuples.map((relation_tuple) => ({ action: 'insert', relation_tuple })))
const list = async (query: string) => (await read('GET', `/relation-tuples?${query}`)).body as { relation_tuples: unknown[]; next_page_token: string }

describe('Keto read API: checks', () => {
  it('when the tuple exists, then GET /relation-tuples/check/openapi answers 200 {allowed: true}', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const res = await read('GET', '/relation-tuples/check/openapi?namespace=Ticket&object=t1&relation=edit&subject_id=alice')
    expect(res).toMatchObject({ status: 200, body: { allowed: true } })
  })

  it('when the check is denied, then GET /relation-tuples/check/openapi still answers 200, with {allowed: false}', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const res = await read('GET', '/relation-tuples/check/openapi?namespace=Ticket&object=t1&relation=edit&subject_id=bob')
    expect(res).toMatchObject({ status: 200, body: { allowed: false } })
  })

  it('when the subject is given as subject_set.*, then the check uses that subject set', async () => {
    await insert({ namespace: 'Order', object: 'o1', relation: 'parents', subject_set: { namespace: 'Ticket', object: 't1', relation: '' } })
    const query = 'namespace=Order&object=o1&relation=parents&subject_set.namespace=Ticket&subject_set.object=t1&subject_set.relation='
    expect((await read('GET', `/relation-tuples/check/openapi?${query}`)).body).toEqual({ allowed: true })
    expect((await read('GET', `/relation-tuples/check/openapi?${query.replace('object=t1', 'object=t2')}`)).body).toEqual({ allowed: false })
  })

  it('when max-depth is given, then it is accepted, and a non-number is a 400', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const ok = await read('GET', '/relation-tuples/check/openapi?namespace=Ticket&object=t1&relation=edit&subject_id=alice&max-depth=3')
    expect(ok.body).toEqual({ allowed: true })
    const bad = await read('GET', '/relation-tuples/check/openapi?namespace=Ticket&object=t1&relation=edit&subject_id=alice&max-depth=x')
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 400, status: 'Bad Request' } } })
  })

  it('when the check comes as a JSON body to POST /relation-tuples/check/openapi, then it answers 200 {allowed}', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const body = { namespace: 'Ticket', object: 't1', relation: 'edit', subject_id: 'alice' }
    expect(await read('POST', '/relation-tuples/check/openapi', body)).toMatchObject({ status: 200, body: { allowed: true } })
    const denied = await read('POST', '/relation-tuples/check/openapi', { ...body, subject_id: 'bob' })
    expect(denied).toMatchObject({ status: 200, body: { allowed: false } })
  })

  it('when GET /relation-tuples/check is used, then the status mirrors the answer: 200 allowed, 403 denied', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const path = '/relation-tuples/check?namespace=Ticket&object=t1&relation=edit&subject_id='
    expect(await read('GET', `${path}alice`)).toMatchObject({ status: 200, body: { allowed: true } })
    expect(await read('GET', `${path}bob`)).toMatchObject({ status: 403, body: { allowed: false } })
  })

  it('when the namespace is unknown, then the check is simply not allowed (Keto does not error)', async () => {
    const res = await read('GET', '/relation-tuples/check/openapi?namespace=Nope&object=x&relation=edit&subject_id=alice')
    expect(res).toMatchObject({ status: 200, body: { allowed: false } })
  })

  it('when the relation is unknown in a known namespace, then the check is a 400 naming the relation', async () => {
    const res = await read('GET', '/relation-tuples/check/openapi?namespace=Ticket&object=t1&relation=nope&subject_id=alice')
    const someHeaders: unknown = expect.anything()
    expect(res).toEqual({
      status: 400,
      headers: someHeaders,
      body: { error: { code: 400, status: 'Bad Request', message: 'The request was malformed or contained invalid parameters', reason: 'relation "nope" does not exist' } },
    })
  })

  it.each([
    ['both subject_id and subject_set', 'subject_id=a&subject_set.namespace=Group&subject_set.object=g&subject_set.relation=members', 'exactly one of subject_set or subject_id has to be provided'],
    ['no subject', '', 'subject is not allowed to be nil'],
    ['half a subject set', 'subject_set.namespace=Group', 'incomplete subject, provide "subject_id" or a complete "subject_set.*"'],
  ])('when the check has %s, then it is a 400 with Keto\'s message', async (_, subject, message) => {
    const res = await read('GET', `/relation-tuples/check/openapi?namespace=Ticket&object=t1&relation=edit&${subject}`)
    expect(res).toMatchObject({ status: 400, body: { error: { code: 400, status: 'Bad Request', message } } })
  })
})

describe('Keto read API: listing and metadata', () => {
  it('when relationships are listed with filters, then only matching tuples come back, in Keto\'s shape', async () => {
    await insert(ticketOwner('t1', 'alice'), ticketOwner('t2', 'bob'), { namespace: 'Group', object: 'g', relation: 'members', subject_id: 'alice' })
    expect(await list('namespace=Ticket&subject_id=alice')).toEqual({ relation_tuples: [ticketOwner('t1', 'alice')], next_page_token: '' })
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t1', 'alice'), ticketOwner('t2', 'bob')])
  })

  it('when page_size is smaller than the result, then next_page_token leads to the rest', async () => {
    await insert(ticketOwner('t1', 'a'), ticketOwner('t2', 'b'), ticketOwner('t3', 'c'))
    const first = await list('namespace=Ticket&page_size=2')
    expect(first.relation_tuples).toEqual([ticketOwner('t1', 'a'), ticketOwner('t2', 'b')])
    expect(first.next_page_token).not.toBe('')
    expect(await list(`namespace=Ticket&page_size=2&page_token=${first.next_page_token}`)).toEqual({ relation_tuples: [ticketOwner('t3', 'c')], next_page_token: '' })
  })

  it('when listing an unknown namespace, then it is Keto\'s 404', async () => {
    const res = await read('GET', '/relation-tuples?namespace=Nope')
    expect(res).toMatchObject({ status: 404, body: { error: { code: 404, status: 'Not Found', reason: 'Unknown namespace with name "Nope".' } } })
  })

  it('when GET /namespaces is called, then it names every class of the OPL file', async () => {
    const res = await read('GET', '/namespaces')
    expect(res.body).toEqual({ namespaces: ['User', 'Group', 'Ticket', 'Order', 'Payment'].map((name) => ({ name })) })
  })

  it.each(['/health/alive', '/health/ready'])('when %s is asked on either port, then it answers 200 {status: "ok"}', async (path) => {
    expect(await read('GET', path)).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(await write('GET', path)).toMatchObject({ status: 200, body: { status: 'ok' } })
  })
})

describe('Keto write API', () => {
  it('when a tuple is PUT, then it answers 201 with the tuple, and a second PUT does not duplicate it', async () => {
    const res = await write('PUT', '/admin/relation-tuples', ticketOwner('t1', 'alice'))
    expect(res).toMatchObject({ status: 201, body: ticketOwner('t1', 'alice') })
    expect(res.headers.get('location')).toBe('/relation-tuples?namespace=Ticket&object=t1&relation=owners&subject_id=alice')
    await write('PUT', '/admin/relation-tuples', ticketOwner('t1', 'alice'))
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t1', 'alice')])
  })

  it.each([
    ['no namespace', { object: 't', relation: 'owners', subject_id: 'a' }, 400, 'incomplete tuple, provide "namespace", "object", "relation", and a subject'],
    ['no subject', { namespace: 'Ticket', object: 't', relation: 'owners' }, 400, 'subject is not allowed to be nil'],
    ['both subjects', { ...ticketOwner('t', 'a'), subject_set: { namespace: 'Group', object: 'g', relation: 'members' } }, 400, 'exactly one of subject_set or subject_id has to be provided'],
    ['an unknown namespace', { ...ticketOwner('t', 'a'), namespace: 'Nope' }, 404, 'The requested resource could not be found'],
    ['an unknown subject-set namespace', { namespace: 'Ticket', object: 't', relation: 'owners', subject_set: { namespace: 'Nope', object: 'g', relation: '' } }, 404, 'The requested resource could not be found'],
  ])('when a PUT tuple has %s, then it is rejected with Keto\'s error', async (_, tuple, code, message) => {
    const res = await write('PUT', '/admin/relation-tuples', tuple)
    expect(res).toMatchObject({ status: code, body: { error: { code, message } } })
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([])
  })

  it('when a PATCH inserts and deletes, then it answers 204 and the store reflects both', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const res = await write('PATCH', '/admin/relation-tuples', [
      { action: 'insert', relation_tuple: ticketOwner('t2', 'bob') },
      { action: 'delete', relation_tuple: ticketOwner('t1', 'alice') },
    ])
    expect(res).toMatchObject({ status: 204, body: undefined })
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t2', 'bob')])
  })

  it.each([
    ['an unknown action', { action: 'upsert', relation_tuple: ticketOwner('t9', 'x') }, 400],
    ['a missing relation_tuple', { action: 'insert' }, 400],
    ['an unknown namespace', { action: 'insert', relation_tuple: { ...ticketOwner('t9', 'x'), namespace: 'Nope' } }, 404],
  ])('when one delta of a PATCH has %s, then nothing of the patch is applied', async (_, bad, code) => {
    const res = await write('PATCH', '/admin/relation-tuples', [{ action: 'insert', relation_tuple: ticketOwner('t1', 'alice') }, bad])
    expect(res).toMatchObject({ status: code, body: { error: { code } } })
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([])
  })

  it('when DELETE /admin/relation-tuples has filters, then it answers 204 and removes only the matching tuples', async () => {
    await insert(ticketOwner('t1', 'alice'), ticketOwner('t1', 'bob'), ticketOwner('t2', 'alice'))
    const res = await write('DELETE', '/admin/relation-tuples?namespace=Ticket&object=t1&relation=owners&subject_id=alice')
    expect(res.status).toBe(204)
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t1', 'bob'), ticketOwner('t2', 'alice')])
    await write('DELETE', '/admin/relation-tuples?namespace=Ticket&object=t1')
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t2', 'alice')])
  })

  it('when DELETE lacks the namespace or has an unknown parameter, then it is a 400 and nothing is deleted', async () => {
    await insert(ticketOwner('t1', 'alice'))
    const noNamespace = await write('DELETE', '/admin/relation-tuples?object=t1')
    expect(noNamespace).toMatchObject({ status: 400, body: { error: { reason: 'query parameters must specify at least one of the following: namespace' } } })
    const unknown = await write('DELETE', '/admin/relation-tuples?namespace=Ticket&colour=red')
    expect(unknown).toMatchObject({ status: 400, body: { error: { reason: 'query parameter key "colour" unknown' } } })
    expect((await list('namespace=Ticket')).relation_tuples).toEqual([ticketOwner('t1', 'alice')])
  })
})

describe('@ory/keto-client against the stand-in (what the services use)', () => {
  const permissions = () => new PermissionApi(new Configuration({ basePath: keto.readUrl }))
  const relationships = (basePath: string) => new RelationshipApi(new Configuration({ basePath }))

  it('when relationships are written with patchRelationships, then checkPermission sees them', async () => {
    await relationships(keto.writeUrl).patchRelationships({
      relationshipPatch: [
        { action: 'insert', relation_tuple: { namespace: 'Order', object: 'o1', relation: 'owners', subject_id: 'buyer' } },
        { action: 'insert', relation_tuple: { namespace: 'Order', object: 'o1', relation: 'parents', subject_set: { namespace: 'Ticket', object: 't1', relation: '' } } },
        { action: 'insert', relation_tuple: ticketOwner('t1', 'seller') },
      ],
    })
    const check = async (subjectId: string, relation: string) =>
      (await permissions().checkPermission({ namespace: 'Order', object: 'o1', relation, subjectId })).data
    expect(await check('buyer', 'edit')).toEqual({ allowed: true })
    expect(await check('seller', 'view')).toEqual({ allowed: true })
    expect(await check('seller', 'edit')).toEqual({ allowed: false })
  })

  it('when createRelationship is called, then it returns the tuple and getRelationships lists it', async () => {
    const created = await relationships(keto.writeUrl).createRelationship({ createRelationshipBody: ticketOwner('t1', 'alice') })
    expect(created.status).toBe(201)
    expect(created.data).toEqual(ticketOwner('t1', 'alice'))
    const listed = await relationships(keto.readUrl).getRelationships({ namespace: 'Ticket', object: 't1' })
    expect(listed.data).toEqual({ relation_tuples: [ticketOwner('t1', 'alice')], next_page_token: '' })
  })
})
