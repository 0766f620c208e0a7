import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundledPackages, bundleService } from '../image/bundle-service'
import { importsOf, manifestOf, workspaces } from './support/imports'
import { dependencyClosure } from './support/packages'
import { serviceFolders } from './support/repo'

const outDir = mkdtempSync(join(tmpdir(), 'ticketing-bundle-'))
const bundles = new Map<string, Metafile>()
const shared = manifestOf(workspaces.find((w) => w.name === 'shared')!)
const sharedPeers = Object.keys(shared.peerDependencies ?? {})

beforeAll(async () => {
  for (const name of serviceFolders()) bundles.set(name, await bundleService(name, join(outDir, name, 'main.js')))
}, 120_000)
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe.each(serviceFolders())('the %s image', (name) => {
  const dir = `services/${name}`
  const declared = Object.keys(manifestOf({ name, dir, folders: [dir] }).dependencies ?? {})

  it('when its bundle is listed, then every package in it is one the service declares or one of theirs', () => {
    const packages = bundledPackages(bundles.get(name)!)
    const allowed = dependencyClosure(dir, declared)
    console.info(`${name} image: ${packages.length} packages: ${packages.join(' ')}`)

    expect(packages.length).toBeGreaterThan(0)
    expect(packages.filter((p) => !allowed.has(p))).toEqual([])
  })

  it('when its package.json is read, then it declares what it imports and the shared-kernel peers its bundle holds', () => {
    const bundled = new Set(bundledPackages(bundles.get(name)!))
    const imported = importsOf({ name, dir, folders: [dir] }).runtime
    const expected = [...new Set([...imported, ...sharedPeers.filter((p) => bundled.has(p))])].sort()

    expect(declared.sort()).toEqual(expected)
  })

  it('when its bundle is listed, then no stand-in, test helper or test file went in', () => {
    const inputs = Object.keys(bundles.get(name)!.inputs).filter((input) => !input.includes('node_modules'))

    expect(inputs.filter((input) => /(^|\/)(dev|test|testing)\//.test(input) || input.endsWith('.test.ts'))).toEqual([])
    expect(inputs).toContain(`services/${name}/src/main.ts`)
  })
})

describe('a bundled service on its own', () => {
  it('when tickets runs from its single bundle file with no node_modules beside it, then it answers its health check', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const child = spawn(process.execPath, [join(outDir, 'tickets', 'main.js')], {
      cwd: outDir,
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', KRATOS_PUBLIC_URL: 'http://127.0.0.1:9', KETO_READ_URL: 'http://127.0.0.1:9', KETO_WRITE_URL: 'http://127.0.0.1:9' },
      stdio: 'ignore',
    })
    try {
      let body: unknown
      for (let i = 0; i < 100 && body === undefined; i++) {
        body = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined)
        if (body === undefined) await new Promise((r) => setTimeout(r, 100))
      }
      expect(body).toEqual({ status: 'ok' })
    } finally {
      child.kill('SIGTERM')
    }
  }, 30_000)
})

describe.each(workspaces.filter((w) => w.dir !== '.'))('the $name workspace', (workspace) => {
  const manifest = manifestOf(workspace)
  const { runtime, test } = importsOf(workspace)
  const shipped = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })

  it('when its code imports a package, then its package.json declares it, and tests import only declared packages', () => {
    expect([...runtime].filter((p) => !shipped.includes(p))).toEqual([])
    expect([...test].filter((p) => !shipped.includes(p) && !(p in (manifest.devDependencies ?? {})))).toEqual([])
  })

})

// A service's own list is checked against its bundle above; it also names the shared kernel's peers it uses.
describe.each(workspaces.filter((w) => w.dir !== '.' && !serviceFolders().some((s) => w.dir === `services/${s}`)))('the $name workspace', (workspace) => {
  it('when its package.json declares a dependency, then its code imports it', () => {
    const manifest = manifestOf(workspace)
    const { runtime } = importsOf(workspace)

    expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((p) => !runtime.has(p))).toEqual([])
  })
})

describe('the root workspace', () => {
  it('when its tests, benchmarks and tooling import a package, then the root package.json declares it', () => {
    const root = workspaces.find((w) => w.dir === '.')!
    const manifest = manifestOf(root)
    const { runtime, test } = importsOf(root)
    const declared = { ...manifest.dependencies, ...manifest.devDependencies }

    expect([...runtime, ...test].filter((p) => !(p in declared))).toEqual([])
  })
})
