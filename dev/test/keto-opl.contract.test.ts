import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterEach, describe, expect, it } from 'vitest'
import { startKeto, type RunningKeto } from '../src/keto'
import { OplError } from '../src/keto/opl-error'
import { loadNamespaces } from '../src/keto/opl-parser'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const projectOpl = join(repo, 'ory/keto/namespaces.keto.ts')

// A small model for semantics tests: Doc permits are swapped per test.
const model = (permits: string) => `
import { Namespace, Context, SubjectSet } from "@ory/keto-namespace-types"
class User implements Namespace {}
class Group implements Namespace {
  related: { members: (User | SubjectSet<Group, "members">)[] }
}
class Folder implements Namespace {
  related: { viewers: User[] }
  permits = { view: (ctx: Context): boolean => this.related.viewers.includes(ctx.subject) }
}
class Doc implements Namespace {
  related: { a: User[]; b: User[]; c: User[]; parents: Folder[]; readers: (User | SubjectSet<Group, "members">)[] }
  permits = { ${permits} }
}`

const running: Array<{ keto: RunningKeto; dir: string }> = []
afterEach(async () => {
  for (const { keto, dir } of running.splice(0)) {
    await keto.close()
    await rm(dir, { recursive: true, force: true })
  }
})

/** Starts a Keto on a throw-away OPL file, writes `tuples`, and returns a check function. */
async function ketoWith(opl: string, tuples: object[], maxDepth?: number) {
  const dir = await mkdtemp(join(tmpdir(), 'keto-opl-'))
  const oplPath = join(dir, 'namespaces.keto.ts')
  await writeFile(oplPath, opl)
  const keto = await startKeto({ oplPath, ...(maxDepth ? { maxDepth } : {}) })
  running.push({ keto, dir })
  const patch = tuples.map((relation_tuple) => ({ action: 'insert', relation_tuple }))
  const written = await fetch(`${keto.writeUrl}/admin/relation-tuples`, { method: 'PATCH', body: JSON.stringify(patch) })
  expect(written.status).toBe(204)
  return async (namespace: string, object: string, relation: string, subjectId: string, requestDepth?: number) => {
    const query = new URLSearchParams({ namespace, object, relation, subject_id: subjectId })
    if (requestDepth !== undefined) query.set('max-depth', String(requestDepth))
    const res = await fetch(`${keto.readUrl}/relation-tuples/check/openapi?${query}`)
    return ((await res.json()) as { allowed: boolean }).allowed
  }
}
const doc = (relation: string, subject_id: string) => ({ namespace: 'Doc', object: 'd', relation, subject_id })

describe('OPL parser', () => {
  it('when the project OPL file is parsed, then every namespace and relation is there', async () => {
    const namespaces = loadNamespaces(await readFile(projectOpl, 'utf8'), projectOpl)
    const summary = Object.fromEntries([...namespaces.values()].map((n) => [n.name, n.relations.map((r) => r.name)]))
    expect(summary).toEqual({
      User: [],
      Group: ['members'],
      Ticket: ['owners', 'edit', 'order'],
      Order: ['owners', 'parents', 'view', 'edit'],
      Payment: ['owners', 'parents', 'view', 'edit'],
    })
    expect(namespaces.get('Ticket')?.relations[0]?.types).toEqual([{ namespace: 'User' }, { namespace: 'Group', relation: 'members' }])
  })

  it('when a permit mixes || and && without parentheses, then the tree groups strictly left to right', () => {
    const namespaces = loadNamespaces(model('p: (ctx: Context): boolean => this.related.a.includes(ctx.subject) || this.related.b.includes(ctx.subject) && this.related.c.includes(ctx.subject)'))
    const permit = namespaces.get('Doc')?.relations.find((r) => r.name === 'p')
    expect(permit?.rewrite).toMatchObject({
      operator: 'and',
      children: [{ kind: 'rewrite', operator: 'or' }, { kind: 'computed', relation: 'c' }],
    })
  })

  it.each([
    ['a conditional', 'p: (ctx: Context): boolean => this.related.a.includes(ctx.subject) ? true : false', 'unsupported OPL construct'],
    ['a constant', 'p: (ctx: Context): boolean => true', 'unsupported OPL construct'],
    ['a double negation', 'p: (ctx: Context): boolean => !!this.related.a.includes(ctx.subject)', 'unsupported OPL construct'],
    ['a block body', 'p: (ctx: Context): boolean => { return this.related.a.includes(ctx.subject) }', 'a permit body must be an expression'],
    ['a compound traverse lambda', 'p: (ctx: Context): boolean => this.related.parents.traverse((f) => f.permits.view(ctx) && f.permits.view(ctx))', 'a traverse lambda checks exactly one relation'],
    ['an undeclared relation', 'p: (ctx: Context): boolean => this.related.nope.includes(ctx.subject)', 'namespace "Doc" did not declare relation "nope"'],
    ['a traverse to a relation the parent lacks', 'p: (ctx: Context): boolean => this.related.parents.traverse((f) => f.permits.edit(ctx))', 'relation "edit" was not declared in namespace "Folder"'],
  ])('when a permit uses %s, then loading fails naming file, line and construct', (_, permit, message) => {
    const load = () => loadNamespaces(model(permit), 'bad.keto.ts')
    expect(load).toThrow(message)
    expect(load).toThrow(/^bad\.keto\.ts:13:\d+: .*: `.+`$/s)
  })
})

describe('starting the stand-in', () => {
  it('when its OPL file holds a construct Keto refuses, then start-up fails with an OplError naming file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keto-opl-'))
    const oplPath = join(dir, 'bad.keto.ts')
    await writeFile(oplPath, model('p: (ctx: Context): boolean => true'))
    const started = startKeto({ oplPath })

    await expect(started).rejects.toThrow(OplError)
    await expect(started).rejects.toThrow(/bad\.keto\.ts:13:\d+: unsupported OPL construct/)
    await rm(dir, { recursive: true, force: true })
  })
})

describe('OPL semantics (Keto\'s, through the stand-in)', () => {
  const leftToRight = 'p: (ctx: Context): boolean => this.related.a.includes(ctx.subject) || this.related.b.includes(ctx.subject) && this.related.c.includes(ctx.subject)'

  it('when `a || b && c` holds only a, then it is denied: Keto reads it as (a || b) && c', async () => {
    const check = await ketoWith(model(leftToRight), [doc('a', 'u')])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(false)
  })

  it('when `a || b && c` holds a and c, then it is allowed', async () => {
    const check = await ketoWith(model(leftToRight), [doc('a', 'u'), doc('c', 'u')])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(true)
  })

  it('when parentheses say `a || (b && c)` and only a holds, then it is allowed', async () => {
    const grouped = 'p: (ctx: Context): boolean => this.related.a.includes(ctx.subject) || (this.related.b.includes(ctx.subject) && this.related.c.includes(ctx.subject))'
    const check = await ketoWith(model(grouped), [doc('a', 'u')])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(true)
  })

  it('when `!a && b` is checked, then ! applies to a alone', async () => {
    const check = await ketoWith(model('p: (ctx: Context): boolean => !this.related.a.includes(ctx.subject) && this.related.b.includes(ctx.subject)'), [doc('b', 'u'), doc('a', 'v'), doc('b', 'v')])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(true)
    expect(await check('Doc', 'd', 'p', 'v')).toBe(false)
  })

  it('when a permit calls another permit, then this.permits.P(ctx) is evaluated', async () => {
    const check = await ketoWith(model('base: (ctx: Context): boolean => this.related.a.includes(ctx.subject), p: (ctx: Context): boolean => this.permits.base(ctx)'), [doc('a', 'u')])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(true)
    expect(await check('Doc', 'd', 'p', 'w')).toBe(false)
  })

  it('when includes meets a subject set, then members of that set are included', async () => {
    const check = await ketoWith(model('p: (ctx: Context): boolean => this.related.readers.includes(ctx.subject)'), [
      { namespace: 'Doc', object: 'd', relation: 'readers', subject_set: { namespace: 'Group', object: 'g', relation: 'members' } },
      { namespace: 'Group', object: 'g', relation: 'members', subject_id: 'u' },
    ])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(true)
    expect(await check('Doc', 'd', 'readers', 'u')).toBe(true)
    expect(await check('Doc', 'd', 'p', 'w')).toBe(false)
  })

  it('when a parent is written as a subject set, then traverse follows it', async () => {
    const check = await ketoWith(model('p: (ctx: Context): boolean => this.related.parents.traverse((f) => f.permits.view(ctx))'), [
      { namespace: 'Doc', object: 'd', relation: 'parents', subject_set: { namespace: 'Folder', object: 'f', relation: '' } },
      { namespace: 'Folder', object: 'f', relation: 'viewers', subject_id: 'u' },
    ])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(true)
  })

  it('when a parent is written as a plain subject_id, then traverse does not follow it', async () => {
    const check = await ketoWith(model('p: (ctx: Context): boolean => this.related.parents.traverse((f) => f.related.viewers.includes(ctx.subject))'), [
      { namespace: 'Doc', object: 'd', relation: 'parents', subject_id: 'f' },
      { namespace: 'Folder', object: 'f', relation: 'viewers', subject_id: 'u' },
    ])
    expect(await check('Doc', 'd', 'p', 'u')).toBe(false)
  })

  // Group g1 ⊇ g2 ⊇ … ⊇ gN, and u is a direct member of gN: the check needs N hops.
  const chain = (length: number) => [
    ...Array.from({ length: length - 1 }, (_, i) => ({
      namespace: 'Group', object: `g${i + 1}`, relation: 'members', subject_set: { namespace: 'Group', object: `g${i + 2}`, relation: 'members' },
    })),
    { namespace: 'Group', object: `g${length}`, relation: 'members', subject_id: 'u' },
  ]

  it('when nested groups are deeper than the default max depth (5), then the check is denied', async () => {
    const check = await ketoWith(model(''), chain(5))
    expect(await check('Group', 'g1', 'members', 'u')).toBe(true)
    const deeper = await ketoWith(model(''), chain(6))
    expect(await deeper('Group', 'g1', 'members', 'u')).toBe(false)
  })

  it('when maxDepth is raised, then the deeper chain is allowed; a request max-depth can only lower it', async () => {
    const check = await ketoWith(model(''), chain(6), 6)
    expect(await check('Group', 'g1', 'members', 'u')).toBe(true)
    expect(await check('Group', 'g1', 'members', 'u', 5)).toBe(false)
    expect(await check('Group', 'g1', 'members', 'u', 50)).toBe(true)
  })

  it('when subject sets form a cycle, then the check ends and is denied', async () => {
    const check = await ketoWith(model(''), [
      { namespace: 'Group', object: 'g1', relation: 'members', subject_set: { namespace: 'Group', object: 'g2', relation: 'members' } },
      { namespace: 'Group', object: 'g2', relation: 'members', subject_set: { namespace: 'Group', object: 'g1', relation: 'members' } },
    ])
    expect(await check('Group', 'g1', 'members', 'u')).toBe(false)
  })
})

describe('OPL type check', () => {
  const diagnosticsOf = (rootNames: string[]) => {
    const configPath = join(repo, 'ory/keto/tsconfig.json')
    const config: unknown = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)).config
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath))
    const program = ts.createProgram({ rootNames: rootNames.length > 0 ? rootNames : parsed.fileNames, options: parsed.options })
    return { parsed, messages: ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) }
  }

  it('when ory/keto/tsconfig.json compiles the OPL file against @ory/keto-namespace-types, then there are zero diagnostics', () => {
    const { parsed, messages } = diagnosticsOf([])
    expect(parsed.fileNames).toEqual([projectOpl])
    expect(messages).toEqual([])
  })

  it('when an OPL file names a relation that does not exist, then the same settings report it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keto-tsc-'))
    const file = join(dir, 'broken.keto.ts')
    await writeFile(file, (await readFile(projectOpl, 'utf8')).replace('this.related.owners.includes(ctx.subject),', 'this.related.ownerz.includes(ctx.subject),'))
    try {
      expect(diagnosticsOf([file]).messages.join('\n')).toContain("Property 'ownerz' does not exist")
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
