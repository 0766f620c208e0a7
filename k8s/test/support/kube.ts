/** A rendered Kubernetes object, loosely typed: the tests read what the chart wrote. */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: any }; [k: string]: any }

/** The Dapr custom resources the chart may render (their CRDs come with the dapr/dapr chart). */
export const daprKinds = ['Component', 'Configuration', 'Resiliency', 'Subscription']

/** Loads the kubernetes-models class of a core kind, or undefined when the package has none. */
async function modelOf(apiVersion: string, kind: string): Promise<(new (data: object) => { validate(): void }) | undefined> {
  try {
    const mod = await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`)
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
    const spec = obj.spec ?? {}
    if (typeof spec.type !== 'string' || !/^[a-z]+\.[a-z0-9.]+$/.test(spec.type)) problems.push(`${where}: spec.type`)
    if (typeof spec.version !== 'string') problems.push(`${where}: spec.version`)
    if (!Array.isArray(spec.metadata)) problems.push(`${where}: spec.metadata must be a list`)
    for (const item of spec.metadata ?? []) {
      const hasValue = typeof item.value === 'string'
      const hasRef = item.secretKeyRef && typeof item.secretKeyRef.name === 'string' && typeof item.secretKeyRef.key === 'string'
      if (!item.name || hasValue === !!hasRef) problems.push(`${where}: metadata ${item.name} needs a string value or a secretKeyRef`)
    }
  }
  if (obj.kind === 'Resiliency' && !(obj.spec?.policies && obj.spec?.targets)) problems.push(`${where}: spec.policies and spec.targets`)
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

/** The single object of a kind and name; throws when it is missing. */
export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const obj = objects.find((o) => o.kind === kind && o.metadata.name === name)
  if (!obj) throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`)
  return obj
}
