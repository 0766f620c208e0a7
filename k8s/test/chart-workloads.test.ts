import { beforeAll, expect, it } from 'vitest'
import { describeWithHelm, readChartValues } from './support/helm'
import { find, ofKind, secretValue, type Deployment, type KubeObject } from './support/kube'
import { readText } from './support/repo'

const values = readChartValues()
const services = Object.keys(values.services).sort()
// expect.any is typed any; held as unknown, it can sit in a typed expectation.
const aString: unknown = expect.any(String)
const publicPaths: Record<string, string> = { auth: '/api/users', tickets: '/api/tickets', orders: '/api/orders', payments: '/api/payments' }

const envOf = (deployment: Deployment) => {
  const env = deployment.spec.template.spec.containers[0].env ?? []
  return Object.fromEntries(env.map((e) => [e.name, e.value ?? e.valueFrom]))
}

describeWithHelm('ticketing chart workloads', (helm) => {
  let objects: KubeObject[]
  let kind: KubeObject[]
  beforeAll(() => {
    objects = helm.template()
    kind = helm.template(['k8s/values-kind.yaml'])
  })

  it('when rendered, then there is one Deployment and one Service per service plus the web app', () => {
    const deployments = ofKind(objects, 'Deployment').map((o) => o.metadata.name).sort()
    const svcs = ofKind(objects, 'Service').map((o) => o.metadata.name).sort()

    expect(services).toEqual(['auth', 'expiration', 'orders', 'payments', 'tickets'])
    expect(deployments).toEqual([...services, 'web'].sort())
    expect(svcs).toEqual([...services, 'web'].sort())
  })

  it.each(services)('when %s is rendered, then its pod carries the Dapr annotations', (name) => {
    const annotations = find(objects, 'Deployment', name).spec.template.metadata.annotations

    expect(annotations).toEqual({
      'dapr.io/enabled': 'true',
      'dapr.io/app-id': name,
      'dapr.io/app-port': '3000',
      'dapr.io/config': 'ticketing',
      'dapr.io/enable-app-health-check': 'true',
      'dapr.io/app-health-check-path': '/healthz',
      'dapr.io/log-as-json': 'true',
    })
  })

  it.each(services)('when %s is rendered, then it runs its image non-root with probes on /healthz', (name) => {
    const pod = find(objects, 'Deployment', name).spec.template.spec
    const container = pod.containers[0]

    expect(container.image).toBe(`ticketing-${name}:latest`)
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }])
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.resources.requests).toMatchObject({ cpu: aString, memory: aString })
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    })
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 })
  })

  it.each(services)('when %s is rendered, then it gets the environment the services read', (name) => {
    const env = envOf(find(objects, 'Deployment', name))

    expect(env).toMatchObject({ PORT: '3000', HOST: '0.0.0.0', LOG_LEVEL: 'info' })
    expect(env.DAPR_HTTP_PORT).toBeUndefined()
    expect(env.PUBSUB_NAME).toBe(name === 'auth' ? undefined : 'pubsub')
    if (name === 'expiration') {
      expect([env.KRATOS_PUBLIC_URL, env.KETO_READ_URL, env.MONGO_URL, env.STATE_STORE_NAME]).toEqual([undefined, undefined, undefined, 'statestore'])
      return
    }
    expect(env.KRATOS_PUBLIC_URL).toBe('http://kratos-public')
    expect(env.MONGO_URL).toBe('mongodb://root:$(MONGODB_ROOT_PASSWORD)@mongodb:27017/?authSource=admin')
    if (name === 'auth') expect(env.KETO_READ_URL).toBeUndefined()
    else expect([env.KETO_READ_URL, env.KETO_WRITE_URL]).toEqual(['http://keto-read', 'http://keto-write'])
  })

  it('when rendered, then the per-service settings and secrets reach the right containers', () => {
    const auth = envOf(find(objects, 'Deployment', 'auth'))
    const orders = envOf(find(objects, 'Deployment', 'orders'))
    const payments = envOf(find(objects, 'Deployment', 'payments'))

    expect(auth.WEBHOOK_API_KEY).toEqual({ secretKeyRef: { name: 'ticketing-secrets', key: 'webhook-api-key' } })
    expect(auth.MONGODB_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'mongodb', key: 'mongodb-root-password' } })
    expect(orders.EXPIRATION_WINDOW_SECONDS).toBe('900')
    expect(payments.CURRENCY).toBe('usd')
    expect(payments.STRIPE_SECRET_KEY).toEqual({ secretKeyRef: { name: 'ticketing-secrets', key: 'stripe-secret-key', optional: true } })
    expect(payments.STRIPE_WEBHOOK_SECRET).toEqual({ secretKeyRef: { name: 'ticketing-secrets', key: 'stripe-webhook-secret', optional: true } })
  })

  it('when a MongoDB URL is given, then every database user reads it from the chart Secret', () => {
    const withUrl = helm.template([], ['secrets.mongoUrl=mongodb://db.example:27017'])
    const secret = find(withUrl, 'Secret', 'ticketing-secrets')

    expect(secretValue(secret, 'mongo-url')).toBe('mongodb://db.example:27017')
    expect(envOf(find(withUrl, 'Deployment', 'tickets')).MONGO_URL).toEqual({ secretKeyRef: { name: 'ticketing-secrets', key: 'mongo-url' } })
    expect(envOf(find(withUrl, 'Deployment', 'tickets')).MONGODB_ROOT_PASSWORD).toBeUndefined()
  })

  it('when no secrets are given, then the Secret holds a generated web-hook key, PostgreSQL password and DSNs, and no Stripe keys', () => {
    const secret = find(objects, 'Secret', 'ticketing-secrets')
    const password = secretValue(secret, 'postgresql-password')

    expect(Object.keys(secret.data)).toEqual(['webhook-api-key', 'postgresql-password', 'kratos-dsn', 'keto-dsn'])
    expect(secretValue(secret, 'webhook-api-key')).toMatch(/^[A-Za-z0-9]{40}$/)
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(secretValue(secret, 'kratos-dsn')).toBe(`postgres://ory:${password}@postgresql:5432/kratos?sslmode=disable`)
    expect(secretValue(secret, 'keto-dsn')).toBe(`postgres://ory:${password}@postgresql:5432/keto?sslmode=disable`)
  })

  it('when secrets are given as values, then the Secret holds exactly them', () => {
    const set = [
      'secrets.webhookApiKey=0123456789abcdef-hook',
      'secrets.postgresqlPassword=pg-password',
      'secrets.kratosDsn=postgres://kratos:k@db.example:5432/identities',
      'secrets.ketoDsn=postgres://keto:k@db.example:5432/permissions',
      'secrets.stripeSecretKey=sk_test_x',
      'secrets.stripeWebhookSecret=whsec_y',
    ]
    const data = find(helm.template([], set), 'Secret', 'ticketing-secrets').data
    const decoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))

    expect(decoded).toEqual({
      'webhook-api-key': '0123456789abcdef-hook',
      'postgresql-password': 'pg-password',
      'kratos-dsn': 'postgres://kratos:k@db.example:5432/identities',
      'keto-dsn': 'postgres://keto:k@db.example:5432/permissions',
      'stripe-secret-key': 'sk_test_x',
      'stripe-webhook-secret': 'whsec_y',
    })
  })

  it('when the PostgreSQL password has URL characters, then both DSNs carry it escaped', () => {
    const secret = find(helm.template([], ['secrets.postgresqlPassword=p@ss%w/rd:#?']), 'Secret', 'ticketing-secrets')
    const dsns = ['kratos-dsn', 'keto-dsn'].map((key) => new URL(secretValue(secret, key)))

    expect(dsns.map((dsn) => [dsn.host, dsn.pathname, decodeURIComponent(dsn.password)])).toEqual([
      ['postgresql:5432', '/kratos', 'p@ss%w/rd:#?'],
      ['postgresql:5432', '/keto', 'p@ss%w/rd:#?'],
    ])
  })

  it('when the chart is uninstalled, then its Secret stays, since the PostgreSQL volume keeps the password it started with', () => {
    expect(find(objects, 'Secret', 'ticketing-secrets').metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' })
  })

  it('when rendered, then the Ingress routes each public path to its Service port and the rest to the web app', () => {
    const ingress = find(objects, 'Ingress', 'ticketing')
    const paths = ingress.spec.rules[0].http.paths
    const routes = Object.fromEntries(paths.map((p) => [p.path, `${p.backend.service.name}:${p.backend.service.port.number}`]))
    const servicePort = (name: string) => find(objects, 'Service', name).spec.ports[0].port

    expect(ingress.spec.ingressClassName).toBe('nginx')
    expect(routes).toEqual({
      ...Object.fromEntries(Object.entries(publicPaths).map(([svc, path]) => [path, `${svc}:${servicePort(svc)}`])),
      '/': `web:${servicePort('web')}`,
    })
    expect(paths.every((p) => p.pathType === 'Prefix')).toBe(true)
  })

  it('when rendered, then /.ory/ is stripped and sent to the Kratos public Service', () => {
    const ory = find(objects, 'Ingress', 'ticketing-ory')
    const [path] = ory.spec.rules[0].http.paths
    // nginx applies the same regex and capture-group substitution.
    const target = ory.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target'] ?? ''
    const rewrite = (url: string) => url.replace(new RegExp(`^${path.path}`), target)

    expect(ory.spec.ingressClassName).toBe('nginx')
    expect(path.backend.service).toEqual({ name: 'kratos-public', port: { number: 80 } })
    expect(rewrite('/.ory/self-service/login/browser')).toBe('/self-service/login/browser')
    expect(rewrite('/.ory')).toBe('/')
    expect(rewrite('/.oryx/x')).toBe('/.oryx/x')
  })

  it('when the kind values are used, then the ingress answers for localhost with local images', () => {
    const hosts = ofKind(kind, 'Ingress').map((o) => o.spec.rules[0].host)
    const images = ofKind(kind, 'Deployment').map((o) => o.spec.template.spec.containers[0])

    expect(hosts).toEqual(['localhost', 'localhost'])
    expect(images.every((c) => !c.image.includes('/') && c.imagePullPolicy === 'IfNotPresent')).toBe(true)
  })

  it('when rendered, then the web app serves on its unprivileged port behind Service port 80', () => {
    const pod = find(objects, 'Deployment', 'web').spec.template.spec
    const service = find(objects, 'Service', 'web')

    expect(pod.containers[0].image).toBe('ticketing-web:latest')
    expect(pod.containers[0].ports[0].containerPort).toBe(8080)
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true)
    expect(service.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' })
    expect(readText('k8s/image/nginx.conf')).toMatch(/listen 8080;[\s\S]*try_files \$uri \$uri\/ \/index\.html;/)
  })

  it('when rendered, then the Dapr resources are hooks created before the pods', () => {
    const dapr = objects.filter((o) => o.apiVersion === 'dapr.io/v1alpha1')

    expect(dapr.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Component/pubsub',
      'Component/statestore',
      'Configuration/ticketing',
      'Resiliency/ticketing-resiliency',
    ])
    expect(dapr.every((o) => o.metadata.annotations?.['helm.sh/hook'] === 'pre-install,pre-upgrade')).toBe(true)
  })
})
