import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { daprCrdDir, kubeBinaries, locateKubeTools, reportMissingTool, startApiServer, type ApiServer, type KubectlResult } from './support/api-server'
import { describeWithHelm } from './support/helm'
import { ofKind, type KubeObject } from './support/kube'
import { filesUnder, parseDocuments, readText } from './support/repo'

type Owned = { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] } }
type ReplicaSet = Owned & { status?: { conditions?: { type: string; message?: string }[] } }
type Pod = Owned & { status?: { phase?: string } }
type StoredResiliency = { metadata: { namespace: string; name: string }; spec: { policies: { retries?: Record<string, { policy?: string; duration?: string }> } } }

const id = (obj: KubeObject) => `${obj.kind}/${obj.metadata.name}`
const reason = (res: KubectlResult) => (res.stderr || res.stdout).trim()

/** Paths of the fields that were sent but are not stored as sent (the server may add fields, never drop one). */
function notStored(sent: unknown, stored: unknown, path = ''): string[] {
  if (typeof sent !== 'object' || sent === null) return sent === stored ? [] : [`${path}: sent ${JSON.stringify(sent)}, stored ${JSON.stringify(stored)}`]
  if (typeof stored !== 'object' || stored === null) return [`${path}: not stored`]
  return Object.entries(sent).flatMap(([key, value]) => notStored(value, (stored as Record<string, unknown>)[key], `${path}.${key}`))
}

const ownedBy = (obj: Owned, kind: string, names: string[]) => !!obj.metadata.ownerReferences?.some((o) => o.kind === kind && names.includes(o.name))

describeWithHelm('the chart on a real Kubernetes API server', (helm) => {
  const tools = locateKubeTools()
  if ('reason' in tools) {
    reportMissingTool(tools.reason)
    return
  }

  const variants = { default: [] as string[], kind: ['k8s/values-kind.yaml'] }
  const rendered: Record<string, KubeObject[]> = {}
  const applied: Record<string, { obj: KubeObject; res: KubectlResult }[]> = {}
  let server: ApiServer | undefined
  const kubectl = (args: string[], input?: string) => {
    if (!server) throw new Error('the API server did not start')
    return server.kubectl(args, input)
  }

  // The first run on a machine builds the servers (several minutes); later ones wait ~20 s for the API server.
  beforeAll(async () => {
    server = await startApiServer({ bin: kubeBinaries(), kubectl: tools.kubectl })
    const crds = daprCrdDir(tools.go)
    const installed = kubectl(['apply', '--server-side', '-f', crds])
    if (!installed.ok) throw new Error(`Dapr's CRDs were refused: ${reason(installed)}`)
    const names = readdirSync(crds).map((file) => join(crds, file))
    const established = kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names.flatMap((f) => ['-f', f])])
    if (!established.ok) throw new Error(`Dapr's CRDs are not established: ${reason(established)}`)

    for (const [name, files] of Object.entries(variants)) {
      rendered[name] = helm.template(files)
      const namespace = `ticketing-${name}`
      const created = kubectl(['create', 'namespace', namespace])
      if (!created.ok) throw new Error(`cannot create namespace ${namespace}: ${reason(created)}`)
      // One object a call, so a refusal names its object and the server's reason.
      applied[name] = rendered[name].map((obj) => ({
        obj,
        res: kubectl(['apply', '--server-side', '--field-manager=ticketing-test', '-n', namespace, '-f', '-'], JSON.stringify(obj)),
      }))
    }
  }, 45 * 60_000)

  afterAll(async () => {
    await server?.stop()
  }, 60_000)

  it("when Dapr's CRDs are installed, then the Dapr kinds the chart renders are served", () => {
    const served = kubectl(['api-resources', '--api-group=dapr.io', '-o', 'name']).stdout.split('\n')

    expect(served).toEqual(expect.arrayContaining(['components.dapr.io', 'configurations.dapr.io', 'resiliencies.dapr.io', 'subscriptions.dapr.io']))
  })

  it('when the self-hosted Dapr files are applied server-side, then Dapr\'s CRDs accept each', () => {
    const created = kubectl(['create', 'namespace', 'dapr-files'])
    const refused = filesUnder('dapr', ['.yaml']).flatMap((file) =>
      (parseDocuments(readText(file), file) as KubeObject[]).flatMap((obj) => {
        const res = kubectl(['apply', '--server-side', '--field-manager=ticketing-test', '-n', 'dapr-files', '-f', '-'], JSON.stringify(obj))
        return res.ok ? [] : [`${file} ${id(obj)}: ${reason(res)}`]
      }),
    )

    expect(created.ok).toBe(true)
    expect(refused).toEqual([])
  })

  it('when the stored Resiliency objects are read, then no exponential retry sets duration (Dapr reads it for constant ones only)', () => {
    const items = (JSON.parse(kubectl(['get', 'resiliencies.dapr.io', '-A', '-o', 'json']).stdout || '{"items":[]}') as { items: StoredResiliency[] }).items
    const ignored = items.flatMap((r) =>
      Object.entries(r.spec.policies.retries ?? {})
        .filter(([, retry]) => retry.policy === 'exponential' && retry.duration !== undefined)
        .map(([policy]) => `${r.metadata.namespace}/${r.metadata.name}: ${policy}`),
    )

    expect(items.length).toBeGreaterThanOrEqual(2)
    expect(ignored).toEqual([])
  })

  for (const name of Object.keys(variants)) {
    const namespace = `ticketing-${name}`

    it(`when every object rendered with ${name} values is applied server-side, then the API server accepts each`, () => {
      const results = applied[name] ?? []
      const refused = results.filter(({ res }) => !res.ok || !/serverside-applied/.test(res.stdout)).map(({ obj, res }) => `${id(obj)}: ${reason(res)}`)

      expect(results.length).toBeGreaterThan(10)
      expect(refused).toEqual([])
    })

    it(`when the objects rendered with ${name} values are read back, then each is stored with every field as written`, () => {
      const problems = (rendered[name] ?? []).flatMap((obj) => {
        const got = kubectl(['get', '-n', namespace, '-f', '-', '-o', 'json'], JSON.stringify(obj))
        if (!got.ok) return [`${id(obj)}: ${reason(got)}`]
        // Read from a file, kubectl answers with a List even for one object.
        const stored = (JSON.parse(got.stdout) as { items: KubeObject[] }).items[0]
        return notStored(obj, stored).map((problem) => `${id(obj)} ${problem}`)
      })

      expect(problems).toEqual([])
    })

    it(`when the controller manager runs the ${name} Deployments, then each has a ReplicaSet and its Pods, Pending without a kubelet`, async () => {
      const deployments = ofKind(rendered[name] ?? [], 'Deployment')
      const list = <T>(kind: string) => (JSON.parse(kubectl(['get', kind, '-n', namespace, '-o', 'json']).stdout || '{"items":[]}') as { items: T[] }).items
      const shortfalls = () => {
        const sets = list<ReplicaSet>('replicasets')
        const pods = list<Pod>('pods')
        return deployments.flatMap((d) => {
          const own = sets.filter((rs) => ownedBy(rs, 'Deployment', [d.metadata.name]))
          const replicas = (d.spec as { replicas?: number }).replicas ?? 1
          const running = pods.filter((p) => ownedBy(p, 'ReplicaSet', own.map((rs) => rs.metadata.name)))
          if (own.length > 0 && running.length === replicas && running.every((p) => p.status?.phase === 'Pending')) return []
          const failures = own.flatMap((rs) => rs.status?.conditions?.filter((c) => c.type === 'ReplicaFailure').map((c) => c.message) ?? [])
          return [`Deployment/${d.metadata.name}: ${own.length} ReplicaSet(s), ${running.length}/${replicas} Pod(s) ${running.map((p) => p.status?.phase).join(',')} ${failures.join('; ')}`.trim()]
        })
      }
      let missing = shortfalls()
      for (let waited = 0; missing.length > 0 && waited < 90_000; waited += 1_000) {
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        missing = shortfalls()
      }

      expect(deployments.length).toBeGreaterThanOrEqual(6)
      expect(missing).toEqual([])
    }, 120_000)
  }
})
