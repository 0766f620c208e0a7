import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readChartValues } from './support/helm'
import { filesUnder, parseDocuments, readText, readYaml, repoPath } from './support/repo'

/** The parts of skaffold.yaml the tests read. */
type Skaffold = {
  apiVersion: string
  build: { artifacts: { image: string; docker: unknown }[] }
  deploy: { helm: { releases: Release[] } }
  profiles: { name: string; patches: { path: string; value: unknown }[] }[]
}
type Release = {
  name: string
  namespace?: string
  remoteChart?: string
  repo?: string
  chartPath?: string
  version?: string
  wait?: boolean
  valuesFiles?: string[]
  setFiles?: Record<string, string>
  setValueTemplates?: Record<string, string>
}
type KindCluster = { nodes: [{ kubeadmConfigPatches: string[]; extraPortMappings: { containerPort: number; hostPort: number }[] }, ...unknown[]] }
type IngressNginxValues = { controller: { nodeSelector: unknown; hostPort: { enabled: boolean }; ingressClassResource: { name: string } } }

const values = readChartValues()
const services = Object.keys(values.services).sort()
const chartImages = [...services.map((s) => `ticketing-${s}`), 'ticketing-web'].sort()
const skaffold = readYaml('skaffold.yaml') as Skaffold
const releases = skaffold.deploy.helm.releases
const tiltfile = readText('Tiltfile')
const sanitized = (image: string) => image.replace(/[^A-Za-z0-9]/g, '_')
const indexOf = (name: string) => releases.findIndex((r) => r.name === name)

type TiltRelease = { chart: string; version: string; values: string[]; deps: string[] }
const quoted = (list: string) => [...list.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '')

const tiltRepos = [...tiltfile.matchAll(/^helm_repo\('([^']+)', '([^']+)'/gm)].map(([, alias, url]) => ({ alias, url }))
/** A skaffold release's chart as Tilt names it: `<helm_repo alias>/<chart>`, or the OCI reference itself. */
const tiltChart = (r: Release) => (r.repo ? `${tiltRepos.find((repo) => repo.url === r.repo)?.alias}/${r.remoteChart}` : r.remoteChart)

/** The Tiltfile's `release(name, chart, version, namespace, values, deps, labels, ...)` calls, by name. */
function tiltReleases(): Record<string, TiltRelease> {
  const found: Record<string, TiltRelease> = {}
  const calls = tiltfile.matchAll(/^release\('([^']+)', '([^']+)', '([^']+)', (?:\w+|'[^']+'), \[([^\]]*)\], \[([^\]]*)\]/gm)
  for (const [, name = '', chart = '', version = '', values = '', deps = ''] of calls) found[name] = { chart, version, values: quoted(values), deps: quoted(deps) }
  return found
}

describe('skaffold.yaml', () => {
  it('when skaffold builds, then it builds exactly the images the chart runs', () => {
    const images = skaffold.build.artifacts.map((a) => a.image).sort()

    expect(skaffold.apiVersion).toMatch(/^skaffold\/v4beta(1[1-9]|[2-9]\d)$/)
    expect(images).toEqual(chartImages)
  })

  it('when a service image is built, then the Dockerfile gets its name as SERVICE', () => {
    const byImage = Object.fromEntries(skaffold.build.artifacts.map((a) => [a.image, a.docker]))

    for (const s of services) expect(byImage[`ticketing-${s}`]).toEqual({ dockerfile: 'Dockerfile', target: 'service', buildArgs: { SERVICE: s } })
    expect(byImage['ticketing-web']).toEqual({ dockerfile: 'Dockerfile', target: 'web' })
  })

  it('when skaffold deploys, then releases go platform, infrastructure, ticketing, PostgreSQL, then Ory', () => {
    expect(releases.map((r) => r.name)).toEqual(['dapr', 'ingress-nginx', 'rabbitmq', 'redis', 'mongodb', 'ticketing', 'postgresql', 'kratos', 'keto'])
    expect(releases.filter((r) => r.remoteChart).every((r) => typeof r.version === 'string' && r.version.length > 0)).toBe(true)
    expect(releases.slice(0, 5).every((r) => r.wait === true)).toBe(true)
  })

  it('when PostgreSQL is installed, then it is a pinned chart of the Bitnami registry, after the ticketing Secret and before Kratos and Keto', () => {
    const postgresql = releases.find((r) => r.name === 'postgresql')
    const bitnami = ['rabbitmq', 'redis', 'mongodb'].map((name) => releases.find((r) => r.name === name)?.remoteChart)
    const registry = bitnami[0]?.slice(0, bitnami[0].lastIndexOf('/'))

    expect(bitnami).toEqual(['rabbitmq', 'redis', 'mongodb'].map((name) => `${registry}/${name}`))
    expect(postgresql).toMatchObject({ remoteChart: `${registry}/postgresql`, namespace: 'ticketing', valuesFiles: ['k8s/values/postgresql.yaml'], wait: true })
    expect(postgresql?.version).toMatch(/^\d+\.\d+\.\d+$/)
    // Its password is a key of the ticketing chart's Secret; Kratos and Keto connect to it as they start.
    expect(indexOf('postgresql')).toBeGreaterThan(indexOf('ticketing'))
    expect(indexOf('postgresql')).toBeLessThan(Math.min(indexOf('kratos'), indexOf('keto')))
  })

  it('when the ticketing release is installed, then every built image is passed to the chart value that uses it', () => {
    const ticketing = releases.find((r) => r.name === 'ticketing')
    const expected = Object.fromEntries(
      chartImages.flatMap((image) => {
        const key = image === 'ticketing-web' ? 'web' : `services.${image.slice('ticketing-'.length)}`
        return [
          [`${key}.image.repository`, `{{.IMAGE_REPO_${sanitized(image)}}}`],
          [`${key}.image.tag`, `{{.IMAGE_TAG_${sanitized(image)}}}`],
        ]
      }),
    )

    expect(ticketing?.chartPath).toBe('k8s/chart')
    expect(ticketing?.setValueTemplates).toEqual(expected)
  })

  it('when the kind profile is active, then images stay local and the chart gets the kind values', () => {
    const kind = skaffold.profiles.find((p) => p.name === 'kind')
    const patchOf = (path: string) => kind?.patches.find((p) => p.path === path)
    const valuesPatch = kind?.patches.find((p) => p.path.endsWith('/valuesFiles'))
    const index = Number(valuesPatch?.path.split('/')[4])

    expect(patchOf('/build/local/push')?.value).toBe(false)
    expect(releases[index]?.name).toBe('ticketing')
    expect(valuesPatch?.value).toEqual(['k8s/chart/values.yaml', 'k8s/values-kind.yaml'])
  })

  it('when Kratos and Keto are installed, then their values and files exist', () => {
    const files = releases.flatMap((r) => [...(r.valuesFiles ?? []), ...Object.values(r.setFiles ?? {})])

    expect(files.filter((f) => !existsSync(repoPath(f)))).toEqual([])
    expect(Object.values(releases.find((r) => r.name === 'kratos')?.setFiles ?? {}).sort()).toEqual([
      'ory/kratos/identity.schema.json',
      'ory/kratos/registration-webhook.jsonnet',
    ])
  })
})

describe('Tiltfile', () => {
  it('when Tilt builds, then it names the same images and services as the chart', () => {
    const listed = tiltfile.match(/SERVICES = \[([^\]]*)\]/)?.[1]?.match(/'([^']+)'/g)?.map((s) => s.slice(1, -1))

    expect(listed?.sort()).toEqual(services)
    expect(tiltfile).toContain("docker_build('ticketing-' + s, '.', dockerfile='Dockerfile', target='service', build_args={'SERVICE': s})")
    expect(tiltfile).toContain("docker_build('ticketing-web', '.', dockerfile='Dockerfile', target='web')")
    expect(tiltfile).toContain("('services.%s.image.repository' % s, 'services.%s.image.tag' % s)")
  })

  it('when Tilt installs releases, then it uses the charts, versions and values files of skaffold.yaml', () => {
    for (const r of releases) {
      expect(tiltfile, r.name).toContain(`'${r.name}'`)
      if (r.version) expect(tiltfile, `${r.name} version`).toContain(r.version)
      for (const file of r.valuesFiles ?? []) if (file !== 'k8s/chart/values.yaml') expect(tiltfile, `${r.name} values`).toContain(file)
      for (const file of Object.values(r.setFiles ?? {})) expect(tiltfile, `${r.name} files`).toContain(file)
    }
    expect(tiltfile).toContain('k8s/values-kind.yaml')
    expect(tiltfile).toMatch(/port_forwards=\['8080:80'\]/)
  })

  it('when Tilt installs a release with the helper, then its chart, version and values are those of skaffold.yaml', () => {
    const tilt = tiltReleases()

    expect(Object.keys(tilt)).toEqual(expect.arrayContaining(['dapr', 'rabbitmq', 'redis', 'mongodb', 'postgresql', 'kratos', 'keto']))
    for (const [name, r] of Object.entries(tilt)) {
      const skaffoldRelease = releases.find((s) => s.name === name)
      expect({ name, chart: r.chart, version: r.version, values: r.values }).toEqual({
        name,
        chart: skaffoldRelease && tiltChart(skaffoldRelease),
        version: skaffoldRelease?.version,
        values: skaffoldRelease?.valuesFiles,
      })
    }
  })

  it('when Tilt orders the releases, then PostgreSQL waits for the ticketing Secret and Kratos and Keto wait for both', () => {
    const tilt = tiltReleases()

    expect(tilt.postgresql?.deps).toContain('ticketing')
    expect(tilt.kratos?.deps).toEqual(expect.arrayContaining(['ticketing', 'postgresql']))
    expect(tilt.keto?.deps).toEqual(expect.arrayContaining(['ticketing', 'postgresql']))
  })
})

describe('kind cluster', () => {
  it('when the cluster is created from kind-config.yaml, then the ingress controller lands on the node with the host ports', () => {
    const node = (readYaml('k8s/kind-config.yaml') as KindCluster).nodes[0]
    const controller = (readYaml('k8s/values/ingress-nginx.yaml') as IngressNginxValues).controller

    expect(node.kubeadmConfigPatches[0]).toContain('node-labels: "ingress-ready=true"')
    expect(node.extraPortMappings.map((m) => [m.containerPort, m.hostPort])).toContainEqual([80, 80])
    expect(controller.nodeSelector).toEqual({ 'ingress-ready': 'true' })
    expect(controller.hostPort.enabled).toBe(true)
    expect(controller.ingressClassResource.name).toBe(values.ingress.className)
  })
})

describe('YAML files under k8s/ and dapr/', () => {
  const files = [...filesUnder('k8s', ['.yaml', '.yml'], ['k8s/chart/templates']), ...filesUnder('dapr', ['.yaml', '.yml']), 'dapr.yaml', 'skaffold.yaml']

  it.each(files)('when %s is parsed, then it is valid YAML with content', (file) => {
    expect(parseDocuments(readText(file), file).length).toBeGreaterThan(0)
  })
})

describe('service images', () => {
  it('when the build context is prepared, then dev/ sources are left out but its package.json', () => {
    const ignore = readText('.dockerignore').split('\n').map((l) => l.trim())

    expect(ignore).toContain('dev/**')
    expect(ignore.filter((l) => l.startsWith('!dev'))).toEqual(['!dev/package.json'])
    expect(ignore).toContain('**/node_modules')
  })

  it('when the Dockerfile builds a service, then the runtime image is slim, non-root and runs dist/main.js', () => {
    const dockerfile = readText('Dockerfile')
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '))

    expect(dockerfile).toMatch(/^ARG SERVICE$/m)
    expect(dockerfile).toContain('npx tsx k8s/image/bundle-service.ts "$SERVICE"')
    expect(runtime).not.toContain('node_modules')
    expect(dockerfile).toMatch(/FROM nginxinc\/nginx-unprivileged:[^\s]+ AS web/)
    expect(runtime).toMatch(/^FROM node:24-[a-z]+-slim AS service/)
    expect(runtime).toMatch(/^USER 1000:1000$/m)
    expect(runtime).toContain('CMD ["node", "--enable-source-maps", "dist/main.js"]')
  })
})
