import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeWithHelm, readChartValues } from './support/helm'
import {
  daprResources,
  find,
  ofKind,
  secretValue,
  type DaprComponent,
  type DaprConfiguration,
  type DaprResiliency,
  type EnvVar,
  type KubeObject,
  type SecretKeyRef,
} from './support/kube'
import { filesUnder, parseDocuments, readText, readYaml, repoPath, serviceFolders } from './support/repo'

/** The parts of ory/kratos/kratos.yml that differ in the cluster. */
type KratosConfig = {
  version?: string
  serve: { public: Record<string, unknown>; admin: Record<string, unknown> }
  selfservice: {
    default_browser_return_url: string
    allowed_return_urls: string[]
    flows: {
      error: { ui_url: string }
      login: { ui_url: string }
      logout: { after: { default_browser_return_url: string } }
      registration: { ui_url: string; style?: string; enable_legacy_one_step?: boolean; after: { password: { hooks: [WebHook, ...unknown[]] } } }
    }
  }
  identity: { schemas: [{ url: string }, ...unknown[]] }
  dsn?: string
  secrets?: unknown
}
type WebHook = { config: { url: string; body: string; auth: { config: Record<string, unknown> } } }
type Automigration = { enabled: boolean; type: string }
/** What the ory/kratos and ory/keto charts read of `deployment`: the migration gets extraEnv unless it has its own. */
type OryDeployment = { extraEnv: EnvVar[]; automigration?: { extraEnv?: EnvVar[] } }
/** The ory/kratos and ory/keto charts' image: the tag defaults to the chart's appVersion. */
type OryImage = { tag?: string }
type KratosValues = { image?: OryImage; kratos: { automigration: Automigration; config: KratosConfig }; deployment: OryDeployment }
type KetoConfig = { namespaces: { location: string }; dsn?: string | null }
type KetoValues = {
  image?: OryImage
  keto: { automigration: Automigration; config: KetoConfig }
  deployment: OryDeployment & { extraVolumes: unknown[]; extraVolumeMounts: [{ name: string; mountPath: string }, ...unknown[]] }
}
type PostgresqlValues = {
  auth: { username: string; database: string; existingSecret: string; secretKeys: { userPasswordKey: string }; usePasswordFiles: boolean }
  primary: { initdb: { scripts: Record<string, string> } }
}
type SkaffoldReleases = { deploy: { helm: { releases: { name: string; remoteChart?: string }[] } } }
type ServiceConfigModule = { loadConfig: (env: Record<string, string | undefined>) => object }
type ActorsModule = { createActorHost: (options: { entities: Record<string, { onReminder: () => Promise<void> }>; logger: object }) => { request: (path: string) => Promise<Response> } }
type RunTemplate = { common?: { resourcesPaths?: string[] }; apps: { appID: string; resourcesPaths?: string[] }[] }

const readComponent = (file: string) => readYaml(file) as DaprComponent
const resiliencyFile = 'dapr/resiliency/resiliency.yaml'
const readResiliency = () => readYaml(resiliencyFile) as DaprResiliency

const values = readChartValues()
const entries = Object.keys(values.services).sort()
const daprFiles = ['dapr/components/pubsub.yaml', 'dapr/components/statestore.yaml']
const allDaprComponentFiles = [...daprFiles, 'dapr/swaps/pubsub-kafka.yaml', 'dapr/swaps/pubsub-redis.yaml', 'dapr/local/pubsub.yaml', 'dapr/local/statestore.yaml']
const existing = (files: string[]) => files.filter((f) => existsSync(repoPath(f)))
const ory = ['kratos', 'keto'] as const
const readKratos = () => readYaml('k8s/values/kratos.yaml') as KratosValues
const readKeto = () => readYaml('k8s/values/keto.yaml') as KetoValues
const readPostgresql = () => readYaml('k8s/values/postgresql.yaml') as PostgresqlValues
function oryValues(name: (typeof ory)[number]): { automigration: Automigration; deployment: OryDeployment } {
  if (name === 'kratos') {
    const kratos = readKratos()
    return { automigration: kratos.kratos.automigration, deployment: kratos.deployment }
  }
  const keto = readKeto()
  return { automigration: keto.keto.automigration, deployment: keto.deployment }
}
const dsnRef = (env: EnvVar[] = []): SecretKeyRef | undefined => env.find((e) => e.name === 'DSN')?.valueFrom?.secretKeyRef

/** Every DSN a parsed YAML value holds: `dsn:` keys and `DSN` environment variables, at any depth. */
function dsnsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(dsnsIn)
  if (typeof value !== 'object' || value === null) return []
  const entries = Object.entries(value)
  const own = entries.filter(([key, v]) => key.toLowerCase() === 'dsn' && typeof v === 'string').map(([, v]) => v as string)
  const env = 'name' in value && value.name === 'DSN' && 'value' in value && typeof value.value === 'string' ? [value.value] : []
  return [...own, ...env, ...entries.flatMap(([, v]) => dsnsIn(v))]
}

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
  delete c.dsn
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

  it('when the Dapr CLI starts an app (it passes APP_PORT), then the app is told PORT = its appPort and the sidecar checks its health', () => {
    type App = { appID: string; appPort: number; env?: Record<string, string> }
    const run = readYaml('dapr.yaml') as { common: { enableAppHealthCheck?: boolean; appHealthCheckPath?: string; env: Record<string, string> }; apps: App[] }
    expect(run.apps.map((a) => [a.appID, a.env?.PORT])).toEqual(run.apps.map((a) => [a.appID, String(a.appPort)]))
    expect(run.common).toMatchObject({ enableAppHealthCheck: true, appHealthCheckPath: '/healthz' })
    expect(Object.keys(run.common.env)).toEqual(expect.arrayContaining(['KRATOS_PUBLIC_URL', 'KETO_READ_URL', 'KETO_WRITE_URL', 'DATA_DIR']))
  })
})

describe('Ory files and their cluster copies', () => {
  it('when the chart embeds the OPL file, then it reads ory/keto/namespaces.keto.ts itself', () => {
    const copy = readFileSync(repoPath('k8s/chart/files/namespaces.keto.ts'))
    const source = readFileSync(repoPath('ory/keto/namespaces.keto.ts'))

    expect(copy.equals(source), 'k8s/chart/files/namespaces.keto.ts must link to ory/keto/namespaces.keto.ts').toBe(true)
  })

  it('when Kratos runs in the cluster, then its config is ory/kratos/kratos.yml with only the documented changes', () => {
    const cluster = readKratos().kratos.config

    expect(cluster).toEqual(kratosForCluster(readYaml('ory/kratos/kratos.yml') as KratosConfig))
  })

  it('when Kratos reads its config, then `version` is the image tag the cluster runs, in both files', () => {
    const values = readKratos()
    const source = readYaml('ory/kratos/kratos.yml') as KratosConfig

    expect(values.image?.tag).toMatch(/^v\d+\.\d+\.\d+$/)
    expect(source.version).toBe(values.image?.tag)
    expect(values.kratos.config.version).toBe(values.image?.tag)
  })

  it('when the Ory charts deploy, then their image tags are pinned, not left to the chart version', () => {
    expect(readKratos().image?.tag).toMatch(/^v\d+\.\d+\.\d+$/)
    expect(readKeto().image?.tag).toMatch(/^v\d+\.\d+\.\d+$/)
  })

  it('when registration is one step, then it is spelled so Kratos v1.3.1 (platform tier) and v26 (cluster) both accept it', () => {
    // v1.3.1 refuses to start on `style`; v26 still honours enable_legacy_one_step.
    for (const config of [readYaml('ory/kratos/kratos.yml') as KratosConfig, readKratos().kratos.config]) {
      expect(config.selfservice.flows.registration).not.toHaveProperty('style')
      expect(config.selfservice.flows.registration.enable_legacy_one_step).toBe(true)
    }
  })

  it('when Keto runs in the cluster, then its config is ory/keto/keto.yml with the OPL mounted from the ConfigMap', () => {
    const values = readKeto()
    const expected = readYaml('ory/keto/keto.yml') as KetoConfig
    const mount = values.deployment.extraVolumeMounts[0]
    expected.namespaces.location = `file://${mount.mountPath}/namespaces.keto.ts`
    expected.dsn = null

    expect(values.keto.config).toEqual(expected)
    expect(values.deployment.extraVolumes[0]).toEqual({ name: mount.name, configMap: { name: 'ticketing-keto-namespaces' } })
  })

  it('when Kratos calls the registration web hook, then it sends the key the auth service reads', () => {
    const kratos = readKratos()
    const hook = kratos.kratos.config.selfservice.flows.registration.after.password.hooks[0]
    const keyEnv = kratos.deployment.extraEnv.find((e) => e.name === 'SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS_0_CONFIG_AUTH_CONFIG_VALUE')

    expect(hook.config.url).toBe(`http://auth:${values.serviceDefaults.port}/hooks/registration`)
    expect(hook.config.auth.config).toMatchObject({ name: 'X-Webhook-Key', in: 'header' })
    expect(keyEnv?.valueFrom?.secretKeyRef).toEqual({ name: 'ticketing-secrets', key: values.services.auth?.secretEnv?.WEBHOOK_API_KEY?.key })
  })
})

describe('Kratos and Keto on PostgreSQL', () => {
  it('when any YAML file under k8s/ is read, then none of its DSNs is memory', () => {
    const files = filesUnder('k8s', ['.yaml', '.yml'], ['k8s/chart/templates'])
    const memory = files.flatMap((file) => parseDocuments(readText(file), file).flatMap(dsnsIn).filter((dsn) => /memory/i.test(dsn)).map((dsn) => `${file}: ${dsn}`))

    expect(files).toContain('k8s/values/keto.yaml')
    expect(memory).toEqual([])
  })

  it("when the Ory charts' defaults are merged under the values, then no dsn is left in the config", () => {
    // ory/keto's values.yaml defaults keto.config.dsn to memory and only null deletes it; ory/kratos has no default.
    const keto = readKeto().keto.config
    const kratos = readKratos().kratos.config

    expect(Object.hasOwn(keto, 'dsn') && keto.dsn === null).toBe(true)
    expect(Object.hasOwn(kratos, 'dsn')).toBe(false)
  })

  it.each(ory)('when %s starts and migrates, then both read DSN from its key in the ticketing chart Secret', (name) => {
    const { automigration, deployment } = oryValues(name)
    const migrationEnv = deployment.automigration?.extraEnv?.length ? deployment.automigration.extraEnv : deployment.extraEnv

    expect(dsnRef(deployment.extraEnv)).toEqual({ name: 'ticketing-secrets', key: `${name}-dsn` })
    expect(dsnRef(migrationEnv)).toEqual({ name: 'ticketing-secrets', key: `${name}-dsn` })
    expect(automigration.enabled).toBe(true)
    expect(['initContainer', 'job']).toContain(automigration.type)
  })

  it('when PostgreSQL is set up, then its user, databases and password key are those the chart builds the DSNs from', () => {
    const pg = readPostgresql()
    const created = Object.values(pg.primary.initdb.scripts).flatMap((sql) => [...sql.matchAll(/CREATE DATABASE (\w+)/gi)].map((m) => m[1]))

    expect(pg.auth.existingSecret).toBe('ticketing-secrets')
    expect(pg.auth.username).toBe(values.postgresql.username)
    expect([pg.auth.database, ...created].sort()).toEqual(Object.values(values.postgresql.databases).sort())
    // One key as a variable: with password files the chart would mount every key of the shared Secret.
    expect(pg.auth.usePasswordFiles).toBe(false)
  })
})

describe('Dapr files and the chart values', () => {
  it('when a component file scopes app-ids, then each is a chart service', () => {
    const scoped = existing(allDaprComponentFiles).flatMap((f) => (readComponent(f).scopes ?? []).map((id) => `${f}: ${id}`))

    expect(scoped.filter((s) => !entries.includes(s.split(': ')[1]!))).toEqual([])
  })

  it('when the resiliency file is read, then it targets no apps (the services use no service invocation)', () => {
    expect(readResiliency().spec.targets.apps).toBeUndefined()
  })

  it('when a component or the chart sets a RabbitMQ reconnect wait, then it is spelled reconnectWaitSeconds', () => {
    const keys = existing(allDaprComponentFiles).flatMap((f) => readComponent(f).spec.metadata.map((m) => m.name))
    const chartMetadata = (values.dapr.pubsub as { metadata?: Record<string, string> }).metadata ?? {}

    expect([...keys, ...Object.keys(chartMetadata)].filter((key) => /^reconnectWait$/i.test(key))).toEqual([])
    expect(readComponent('dapr/components/pubsub.yaml').spec.metadata.find((m) => m.name === 'reconnectWaitSeconds')?.value).toBe(chartMetadata.reconnectWaitSeconds)
  })

  it('when dapr.yaml gives the sidecars resources paths, then each holds YAML files only, no sub-folder (daprd warns about every other entry)', () => {
    const template = readYaml('dapr.yaml') as RunTemplate
    const paths = [...(template.common?.resourcesPaths ?? []), ...template.apps.flatMap((a) => a.resourcesPaths ?? [])]
    const strays = paths.flatMap((path) =>
      readdirSync(repoPath(path), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() || !/\.ya?ml$/.test(entry.name))
        .map((entry) => `${path}/${entry.name}`),
    )

    expect(paths.map((path) => path.replace(/^\.\//, '')).sort()).toEqual(['dapr/local', 'dapr/resiliency'])
    expect(strays).toEqual([])
  })

  it('when the self-hosted sidecars trace, then no exporter endpoint is set (one that does not resolve fails and logs every batch)', () => {
    const tracing = (readYaml('dapr/configuration.yaml') as { spec: { tracing: Record<string, unknown> } }).spec.tracing

    expect(tracing).not.toHaveProperty('otel')
    expect(tracing).not.toHaveProperty('zipkin')
    expect(tracing.samplingRate).toBe('1')
  })

  it('when the actor host answers /dapr/config, then its drain timeout is at most 24 s (Dapr clamps longer ones)', async () => {
    const { createActorHost } = (await import(/* @vite-ignore */ repoPath('services/shared/src/platform/actors.ts'))) as ActorsModule
    const host = createActorHost({ entities: { OrderExpiration: { onReminder: async () => {} } }, logger: {} })
    const { drainOngoingCallTimeout } = (await (await host.request('/dapr/config')).json()) as { drainOngoingCallTimeout: string }
    const seconds = { ms: 0.001, s: 1, m: 60, h: 3600 }
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(drainOngoingCallTimeout)

    expect(match, `a Go duration: ${drainOngoingCallTimeout}`).not.toBeNull()
    expect(Number(match![1]) * seconds[match![2] as keyof typeof seconds]).toBeLessThanOrEqual(24)
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

  it('when the chart defines the resiliency policies, then they equal dapr/resiliency/resiliency.yaml', () => {
    expect(values.dapr.resiliency.policies).toEqual(readResiliency().spec.policies)
  })
})

describeWithHelm('rendered chart against the Dapr, Ory and PostgreSQL files and the services', (helm) => {
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
    expect(find(objects, 'Resiliency', values.dapr.resiliency.name).spec.targets.apps).toBeUndefined()
    expect(actorStores.map((o) => o.metadata.name)).toEqual(['statestore'])
    expect(find(objects, 'Component', 'pubsub').spec.type).toBe('pubsub.rabbitmq')
  })

  it('when rendered, then the Configuration pods reference exists and matches dapr/configuration.yaml', () => {
    const name = (readYaml('dapr/configuration.yaml') as DaprConfiguration).metadata.name
    const referenced = ofKind(objects, 'Deployment').filter((d) => d.spec.template.metadata.annotations?.['dapr.io/config'])

    expect(find(objects, 'Configuration', name).spec.tracing.samplingRate).toBe('1')
    expect(referenced.every((d) => d.spec.template.metadata.annotations?.['dapr.io/config'] === name)).toBe(true)
  })

  it('when Kratos and Keto read their DSN keys, then each is the PostgreSQL release, user, password and database of values/postgresql.yaml', () => {
    const secret = find(objects, 'Secret', 'ticketing-secrets')
    const pg = readPostgresql()
    const release = (readYaml('skaffold.yaml') as SkaffoldReleases).deploy.helm.releases.find((r) => r.remoteChart?.endsWith('/postgresql'))
    const parts = (dsn: URL) => ({ protocol: dsn.protocol, username: dsn.username, password: decodeURIComponent(dsn.password), host: dsn.host, path: dsn.pathname, query: dsn.search })

    for (const name of ory) {
      const key = dsnRef(oryValues(name).deployment.extraEnv)?.key ?? `no DSN for ${name}`

      expect(parts(new URL(secretValue(secret, key))), name).toEqual({
        protocol: 'postgres:',
        username: pg.auth.username,
        password: secretValue(secret, pg.auth.secretKeys.userPasswordKey),
        // The bitnami Service is named after the release; 5432 is the chart's port.
        host: `${release?.name}:5432`,
        path: `/${values.postgresql.databases[name]}`,
        query: '?sslmode=disable',
      })
    }
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
    expect(parseDocuments(readText(resiliencyFile))).toHaveLength(1)
  })
})
