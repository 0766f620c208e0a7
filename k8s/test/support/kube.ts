/** The metadata fields the tests read. */
export type ObjectMeta = { name: string; annotations?: Record<string, string> }

/** A rendered Kubernetes object: any kind, so its other fields are unknown until narrowed by kind. */
export type KubeObject = { apiVersion: string; kind: string; metadata: ObjectMeta; [field: string]: unknown }

// The shapes below hold what the tests read of each kind, as the chart writes it; chart-render checks
// every rendered object against its full schema. A `[T, ...T[]]` list is one the chart never leaves empty.

export type SecretKeyRef = { name: string; key: string; optional?: boolean }
export type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: SecretKeyRef } }
type Probe = { httpGet: unknown }
export type Container = {
  image: string
  imagePullPolicy?: string
  ports: [{ containerPort: number }, ...{ containerPort: number }[]]
  env?: EnvVar[]
  readinessProbe: Probe
  livenessProbe: Probe
  resources: { requests?: Record<string, string> }
  securityContext: { readOnlyRootFilesystem?: boolean }
}
export type PodSpec = { containers: [Container, ...Container[]]; securityContext?: unknown }

export type Deployment = KubeObject & {
  kind: 'Deployment'
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: PodSpec } }
}
type ServicePort = { port: number }
export type Service = KubeObject & { kind: 'Service'; spec: { ports: [ServicePort, ...ServicePort[]] } }
export type Secret = KubeObject & { kind: 'Secret'; data: Record<string, string> }
export type ConfigMap = KubeObject & { kind: 'ConfigMap'; data: Record<string, string> }
type IngressPath = { path: string; pathType: string; backend: { service: { name: string; port: { number: number } } } }
type IngressRule = { host?: string; http: { paths: [IngressPath, ...IngressPath[]] } }
export type Ingress = KubeObject & { kind: 'Ingress'; spec: { ingressClassName: string; rules: [IngressRule, ...IngressRule[]] } }

export type DaprMetadataItem = { name: string; value?: string; secretKeyRef?: SecretKeyRef }
export type DaprComponent = KubeObject & {
  kind: 'Component'
  spec: { type: string; version: string; metadata: DaprMetadataItem[] }
  scopes?: string[]
}
export type DaprConfiguration = KubeObject & { kind: 'Configuration'; spec: { tracing: { samplingRate: string } }; scopes?: string[] }
export type DaprResiliency = KubeObject & {
  kind: 'Resiliency'
  spec: { policies: unknown; targets: { apps: Record<string, unknown> } }
  scopes?: string[]
}
export type DaprResource = DaprComponent | DaprConfiguration | DaprResiliency

/** The kinds the tests look up, by name. */
type Kinds = {
  Deployment: Deployment
  Service: Service
  Secret: Secret
  ConfigMap: ConfigMap
  Ingress: Ingress
  Component: DaprComponent
  Configuration: DaprConfiguration
  Resiliency: DaprResiliency
}

/** The Dapr custom resources the chart may render (their CRDs come with the dapr/dapr chart). */
export const daprKinds = ['Component', 'Configuration', 'Resiliency', 'Subscription']

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

type Model = new (data: object) => { validate(): void }

/** Loads the kubernetes-models class of a core kind, or undefined when the package has none. */
async function modelOf(apiVersion: string, kind: string): Promise<Model | undefined> {
  try {
    const mod = (await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`)) as Record<string, Model | undefined>
    return mod[kind]
  } catch {
    return undefined
  }
}

/** Problems of a Dapr resource, checked by hand since kubernetes-models has no Dapr schemas. */
export function daprProblems(obj: KubeObject): string[] {
  const problems: string[] = []
  const where = `${obj.kind}/${obj.metadata?.name}`
  if (obj.apiVersion !== 'dapr.io/v1alpha1') problems.push(`${where}: apiVersion must be dapr.io/v1alpha1`)
  if (!obj.metadata?.name) problems.push(`${where}: metadata.name is required`)
  if (obj.kind === 'Component') {
    const spec = isRecord(obj.spec) ? obj.spec : {}
    if (typeof spec.type !== 'string' || !/^[a-z]+\.[a-z0-9.]+$/.test(spec.type)) problems.push(`${where}: spec.type`)
    if (typeof spec.version !== 'string') problems.push(`${where}: spec.version`)
    if (!Array.isArray(spec.metadata)) problems.push(`${where}: spec.metadata must be a list`)
    const items: unknown[] = Array.isArray(spec.metadata) ? spec.metadata : []
    for (const item of items) {
      const entry = isRecord(item) ? item : {}
      const ref = isRecord(entry.secretKeyRef) ? entry.secretKeyRef : undefined
      const hasValue = typeof entry.value === 'string'
      const hasRef = !!ref && typeof ref.name === 'string' && typeof ref.key === 'string'
      if (!entry.name || hasValue === hasRef) problems.push(`${where}: metadata ${String(entry.name)} needs a string value or a secretKeyRef`)
    }
  }
  if (obj.kind === 'Resiliency' && !(isRecord(obj.spec) && obj.spec.policies && obj.spec.targets)) problems.push(`${where}: spec.policies and spec.targets`)
  if (obj.scopes !== undefined && !(Array.isArray(obj.scopes) && obj.scopes.every((s: unknown) => typeof s === 'string'))) {
    problems.push(`${where}: scopes must be a list of app-ids`)
  }
  return problems
}

/** Validates one object: core kinds against kubernetes-models, Dapr kinds by hand, anything else is an error. */
export async function validateObject(obj: KubeObject): Promise<string[]> {
  const where = `${obj?.kind}/${obj?.metadata?.name}`
  if (!obj?.apiVersion || !obj?.kind) return [`${where}: apiVersion and kind are required`]
  if (obj.apiVersion.startsWith('dapr.io/') && daprKinds.includes(obj.kind)) return daprProblems(obj)
  const Model = await modelOf(obj.apiVersion, obj.kind)
  if (!Model) return [`${where}: unknown kind ${obj.apiVersion} ${obj.kind}`]
  try {
    new Model(obj).validate()
    return []
  } catch (err) {
    return [`${where}: ${(err as Error).message}`]
  }
}

/** The objects of one kind, typed as the tests read that kind. */
export function ofKind<K extends keyof Kinds>(objects: KubeObject[], kind: K): Kinds[K][] {
  return objects.filter((o): o is Kinds[K] => o.kind === kind)
}

/** The Dapr resources among the objects. */
export function daprResources(objects: KubeObject[]): DaprResource[] {
  return objects.filter((o): o is DaprResource => o.apiVersion === 'dapr.io/v1alpha1')
}

/** The single object of a kind and name; throws when it is missing. */
export function find<K extends keyof Kinds>(objects: KubeObject[], kind: K, name: string): Kinds[K] {
  const obj = ofKind(objects, kind).find((o) => o.metadata.name === name)
  if (!obj) throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`)
  return obj
}

/** A value of a Secret, base64-decoded; throws when the Secret has no such key. */
export function secretValue(secret: Secret, key: string): string {
  const value = secret.data[key]
  if (value === undefined) throw new Error(`no ${key} in Secret/${secret.metadata.name}`)
  return Buffer.from(value, 'base64').toString()
}
