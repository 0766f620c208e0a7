import { existsSync, readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeWithHelm, readChartValues } from './support/helm'
import { daprResources, find, ofKind, type DaprComponent, type DaprConfiguration, type DaprResiliency, type EnvVar, type KubeObject } from './support/kube'
import { parseDocuments, readText, readYaml, repoPath, serviceFolders } from './support/repo'

/** The parts of ory/kratos/kratos.yml that differ in the cluster. */
type KratosConfig = {
  serve: { public: Record<string, unknown>; admin: Record<string, unknown> }
  selfservice: {
    default_browser_return_url: string
    allowed_return_urls: string[]
    flows: {
      error: { ui_url: string }
      login: { ui_url: string }
      logout: { after: { default_browser_return_url: string } }
      registration: { ui_url: string; after: { password: { hooks: [WebHook, ...unknown[]] } } }
    }
  }
  identity: { schemas: [{ url: string }, ...unknown[]] }
  secrets?: unknown
}
type WebHook = { config: { url: string; body: string; auth: { config: Record<string, unknown> } } }
type KratosValues = { kratos: { config: KratosConfig }; deployment: { extraEnv: EnvVar[] } }
type KetoConfig = { namespaces: { location: string } }
type KetoValues = {
  keto: { config: KetoConfig }
  deployment: { extraVolumes: unknown[]; extraVolumeMounts: [{ name: string; mountPath: string }, ...unknown[]] }
}
type ServiceConfigModule = { loadConfig: (env: Record<string, string | undefined>) => object }

const readComponent = (file: string) => readYaml(file) as DaprComponent
const readResiliency = () => readYaml('dapr/resiliency.yaml') as DaprResiliency

const values = readChartValues()
const entries = Object.keys(values.services).sort()
const daprFiles = ['dapr/components/pubsub.yaml', 'dapr/components/statestore.yaml']
const allDaprComponentFiles = [...daprFiles, 'dapr/components/swaps/pubsub-kafka.yaml', 'dapr/components/swaps/pubsub-redis.yaml', 'dapr/local/pubsub.yaml', 'dapr/local/statestore.yaml']
const existing = (files: string[]) => files.filter((f) => existsSync(repoPath(f)))

/** Applies the cluster changes documented in k8s/values/kratos.yaml to ory/kratos/kratos.yml. */
function kratosForCluster(source: KratosConfig) {
  const c = structuredClone(source)
  const origin = 'http://localhost'
  c.serve.public = { ...c.serve.public, base_url: `${origin}/.ory/`, port: 4433 }
  c.serve.admin = { ...c.serve.admin, base_url: 'http://kratos-admin/', port: 4434 }
  const s = c.selfservice
  s.default_browser_return_url = `${origin}/`
  s.allowed_return_urls = [origin]
  s.flows.error.ui_url = `${origin}/error`
  s.flows.login.ui_url = `${origin}/login`
  s.flows.logout.after.default_browser_return_url = `${origin}/`
  s.flows.registration.ui_url = `${origin}/register`
  s.flows.registration.after.password.hooks[0].config.body = 'file:///etc/config/registration-webhook.jsonnet'
  c.identity.schemas[0].url = 'file:///etc/config/identity.schema.json'
  delete c.secrets
  return c
}

describe('services and the chart', () => {
  it('when a folder exists under services/, then the chart has an entry for it', () => {
    expect(serviceFolders().filter((name) => !entries.includes(name))).toEqual([])
  })

  it('when a chart entry has a folder, then the folder holds the service entry point the image runs', () => {
    const present = entries.filter((name) => existsSync(repoPath('services', name)))

    expect(present.length).toBeGreaterThan(0)
    expect(present.filter((name) => !existsSync(repoPath('services', name, 'src/main.ts')))).toEqual([])
  })

  it('when the chart lists services, then they are the five of the architecture', () => {
    expect(entries).toEqual(['auth', 'expiration', 'orders', 'payments', 'tickets'])
  })

  it('when dapr.yaml runs the apps with the Dapr CLI, then its app-ids are the chart services', () => {
    const apps = (readYaml('dapr.yaml') as { apps: { appID: string }[] }).apps.map((a) => a.appID).sort()

    expect(apps).toEqual(entries)
  })
})

describe('Ory files and their cluster copies', () => {
  it('when the chart embeds the OPL file, then it reads ory/keto/namespaces.keto.ts itself', () => {
    const copy = readFileSync(repoPath('k8s/chart/files/namespaces.keto.ts'))
    const source = readFileSync(repoPath('ory/keto/namespaces.keto.ts'))

    expect(copy.equals(source), 'k8s/chart/files/namespaces.keto.ts must link to ory/keto/namespaces.keto.ts').toBe(true)
  })

  it('when Kratos runs in the cluster, then its config is ory/kratos/kratos.yml with only the documented changes', () => {
    const cluster = (readYaml('k8s/values/kratos.yaml') as KratosValues).kratos.config

    expect(cluster).toEqual(kratosForCluster(readYaml('ory/kratos/kratos.yml') as KratosConfig))
  })

  it('when Keto runs in the cluster, then its config is ory/keto/keto.yml with the OPL mounted from the ConfigMap', () => {
    const values = readYaml('k8s/values/keto.yaml') as KetoValues
    const expected = readYaml('ory/keto/keto.yml') as KetoConfig
    const mount = values.deployment.extraVolumeMounts[0]
    expected.namespaces.location = `file://${mount.mountPath}/namespaces.keto.ts`

    expect(values.keto.config).toEqual(expected)
    expect(values.deployment.extraVolumes[0]).toEqual({ name: mount.name, configMap: { name: 'ticketing-keto-namespaces' } })
  })

  it('when Kratos calls the registration web hook, then it sends the key the auth service reads', () => {
    const kratos = readYaml('k8s/values/kratos.yaml') as KratosValues
    const hook = kratos.kratos.config.selfservice.flows.registration.after.password.hooks[0]
    const keyEnv = kratos.deployment.extraEnv.find((e) => e.name === 'SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS_0_CONFIG_AUTH_CONFIG_VALUE')

    expect(hook.config.url).toBe(`http://auth:${values.serviceDefaults.port}/hooks/registration`)
    expect(hook.config.auth.config).toMatchObject({ name: 'X-Webhook-Key', in: 'header' })
    expect(keyEnv?.valueFrom?.secretKeyRef).toEqual({ name: 'ticketing-secrets', key: values.services.auth?.secretEnv?.WEBHOOK_API_KEY?.key })
  })
})

describe('Dapr files and the chart values', () => {
  it('when a component or resiliency file scopes app-ids, then each is a chart service', () => {
    const scoped = existing(allDaprComponentFiles).flatMap((f) => (readComponent(f).scopes ?? []).map((id) => `${f}: ${id}`))

    expect(scoped.filter((s) => !entries.includes(s.split(': ')[1]!))).toEqual([])
    const targets = Object.keys(readResiliency().spec.targets.apps)
    expect(targets.filter((id) => !entries.includes(id))).toEqual([])
  })

  it('when any pub/sub component is swapped in, then it keeps the name pubsub', () => {
    const names = existing(allDaprComponentFiles)
      .map(readComponent)
      .filter((c) => c.spec.type.startsWith('pubsub.'))
      .map((c) => c.metadata.name)

    expect(names.length).toBeGreaterThanOrEqual(3)
    expect(new Set(names)).toEqual(new Set(['pubsub']))
    expect(values.dapr.pubsub.name).toBe('pubsub')
  })

  it('when the chart defines the resiliency policies, then they equal dapr/resiliency.yaml', () => {
    expect(values.dapr.resiliency.policies).toEqual(readResiliency().spec.policies)
  })
})

describeWithHelm('rendered chart against the Dapr files and the services', (helm) => {
  let objects: KubeObject[]
  beforeAll(() => {
    objects = helm.template()
  })

  it.each(daprFiles)('when %s exists, then the chart renders the same component', (file) => {
    const source = readComponent(file)
    const chart = find(objects, 'Component', source.metadata.name)
    const settings = (c: DaprComponent) =>
      Object.fromEntries(c.spec.metadata.filter((m) => typeof m.value === 'string' && m.name !== 'connectionString').map((m) => [m.name, m.value]))

    expect(chart.spec.type).toBe(source.spec.type)
    expect(chart.spec.version).toBe(source.spec.version)
    expect(chart.scopes?.toSorted()).toEqual(source.scopes?.toSorted())
    expect(settings(chart)).toMatchObject(settings(source))
  })

  it('when rendered, then every Dapr scope and resiliency target is a service and the actor store is the only one', () => {
    const dapr = daprResources(objects)
    const scopes = dapr.flatMap((o) => o.scopes ?? [])
    const actorStores = dapr.filter((o) => o.kind === 'Component' && o.spec.metadata.some((m) => m.name === 'actorStateStore' && m.value === 'true'))

    expect(scopes.filter((id) => !entries.includes(id))).toEqual([])
    expect(Object.keys(find(objects, 'Resiliency', values.dapr.resiliency.name).spec.targets.apps).sort()).toEqual(entries)
    expect(actorStores.map((o) => o.metadata.name)).toEqual(['statestore'])
    expect(find(objects, 'Component', 'pubsub').spec.type).toBe('pubsub.rabbitmq')
  })

  it('when rendered, then the Configuration pods reference exists and matches dapr/configuration.yaml', () => {
    const name = (readYaml('dapr/configuration.yaml') as DaprConfiguration).metadata.name
    const referenced = ofKind(objects, 'Deployment').filter((d) => d.spec.template.metadata.annotations?.['dapr.io/config'])

    expect(find(objects, 'Configuration', name).spec.tracing.samplingRate).toBe('1')
    expect(referenced.every((d) => d.spec.template.metadata.annotations?.['dapr.io/config'] === name)).toBe(true)
  })

  it('when rendered, then the OPL ConfigMap holds ory/keto/namespaces.keto.ts byte for byte', () => {
    const configMap = find(objects, 'ConfigMap', 'ticketing-keto-namespaces')

    expect(configMap.data['namespaces.keto.ts']).toBe(readText('ory/keto/namespaces.keto.ts'))
  })

  it.each(serviceFolders().filter((name) => existsSync(repoPath('services', name, 'src/config.ts'))))(
    'when %s parses the environment its Deployment gets, then its own config accepts and reads all of it',
    async (name) => {
      const secret = find(objects, 'Secret', 'ticketing-secrets').data
      const env: Record<string, string> = {}
      for (const e of find(objects, 'Deployment', name).spec.template.spec.containers[0].env ?? []) {
        const ref = e.valueFrom?.secretKeyRef
        const stored = ref?.name === 'ticketing-secrets' ? secret[ref.key] : undefined
        if (stored) env[e.name] = Buffer.from(stored, 'base64').toString()
        else if (ref && !ref.optional) env[e.name] = 'from-a-secret'
        else if (e.value !== undefined) env[e.name] = e.value.replace(/\$\((\w+)\)/g, (_: string, v: string) => env[v] ?? '')
      }
      const { loadConfig } = (await import(/* @vite-ignore */ repoPath('services', name, 'src/config.ts'))) as ServiceConfigModule

      // Dapr injects DAPR_HTTP_PORT; MONGODB_ROOT_PASSWORD only feeds MONGO_URL.
      const config = loadConfig({ ...env, DAPR_HTTP_PORT: '3500' })
      const unread = Object.keys(env).filter((key) => !(key in config) && key !== 'MONGODB_ROOT_PASSWORD')

      expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0' })
      expect(unread, 'variables the chart sets but the service never reads').toEqual([])
    },
  )
})

describe('YAML files', () => {
  it('when the Dapr resiliency file is read, then it is one document', () => {
    expect(parseDocuments(readText('dapr/resiliency.yaml'))).toHaveLength(1)
  })
})
