import { beforeAll, expect, it } from 'vitest'
import { describeWithHelm } from './support/helm'
import { daprProblems, validateObject, type KubeObject } from './support/kube'

describeWithHelm('ticketing chart renders and validates', (helm) => {
  const variants = { default: [] as string[], kind: ['k8s/values-kind.yaml'] }
  const rendered: Record<string, KubeObject[]> = {}

  beforeAll(() => {
    for (const [name, files] of Object.entries(variants)) rendered[name] = helm.template(files)
  })

  for (const [name, files] of Object.entries(variants)) {
    it(`when linted strictly with ${name} values, then helm reports no failure`, () => {
      const output = helm.lint(files)

      expect(output).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/)
    })

    it(`when rendered with ${name} values, then every object is valid for its schema`, async () => {
      const problems = (await Promise.all(rendered[name]!.map(validateObject))).flat()

      expect(rendered[name]!.length).toBeGreaterThan(10)
      expect(problems).toEqual([])
    })
  }

  it('when rendered, then every object name is unique per kind', () => {
    const ids = rendered.default!.map((o) => `${o.kind}/${o.metadata.name}`)

    expect(new Set(ids).size).toBe(ids.length)
  })

  it('when rendered, then the kinds are exactly the expected core and Dapr kinds', () => {
    const kinds = [...new Set(rendered.default!.map((o) => `${o.apiVersion} ${o.kind}`))].sort()

    expect(kinds).toEqual([
      'apps/v1 Deployment',
      'dapr.io/v1alpha1 Component',
      'dapr.io/v1alpha1 Configuration',
      'dapr.io/v1alpha1 Resiliency',
      'networking.k8s.io/v1 Ingress',
      'v1 ConfigMap',
      'v1 Secret',
      'v1 Service',
    ])
  })

  it('when an object has an unknown kind, then validation reports it', async () => {
    const problems = await validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })

    expect(problems).toEqual(['Widget/w: unknown kind example.com/v1 Widget'])
  })

  it('when a core object breaks its schema, then validation reports the field', async () => {
    const broken = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'eighty' }] } }

    const problems = await validateObject(broken)

    expect(problems.join()).toMatch(/ports\/0\/port must be integer/)
  })

  it('when a Dapr component lacks type, version or metadata, then the hand check reports each', () => {
    const problems = daprProblems({ apiVersion: 'dapr.io/v1alpha1', kind: 'Component', metadata: { name: 'c' }, spec: {} })

    expect(problems).toEqual(['Component/c: spec.type', 'Component/c: spec.version', 'Component/c: spec.metadata must be a list'])
  })
})
