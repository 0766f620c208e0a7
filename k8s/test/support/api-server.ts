import { execFileSync, spawnSync } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { it } from 'vitest'
import { startProcess, whenReady, type ManagedProcess } from '../../../dev/src/platform/process'
import { freePort } from '../../../dev/src/stack/free-port'
import { readText, repoPath, repoRoot } from './repo'

/** What a kubectl run printed; `ok` is its exit status. */
export type KubectlResult = { ok: boolean; stdout: string; stderr: string }

/** A real etcd, kube-apiserver and kube-controller-manager on loopback, and kubectl pointed at them. */
export type ApiServer = {
  url: string
  /** Runs kubectl against this server only (its own kubeconfig), with `input` on stdin. */
  kubectl(args: string[], input?: string): KubectlResult
  /** Stops every process it started and removes its folder. */
  stop(): Promise<void>
}

export type KubeTools = { kubectl: string; go: string }

const runs = (file: string, args: string[]) => spawnSync(file, args, { stdio: 'ignore' }).status === 0

/** kubectl ($KUBECTL_BIN or k8s/tools/install-helm.sh's) and Go (it builds the servers and holds Dapr's CRDs). */
export function locateKubeTools(): KubeTools | { reason: string } {
  const kubectl = [process.env.KUBECTL_BIN, repoPath('.tools/bin/kubectl')].find((f) => !!f && existsSync(f) && runs(f, ['version', '--client']))
  if (!kubectl) return { reason: 'no kubectl: run `bash k8s/tools/install-helm.sh` (or set KUBECTL_BIN)' }
  // dev/platform/build.sh adds /usr/local/go/bin itself; a non-interactive shell may lack it on PATH.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/go/bin']
  const go = dirs.map((dir) => join(dir, 'go')).find((f) => existsSync(f) && runs(f, ['version']))
  if (!go) return { reason: 'no Go: it builds etcd and kube-apiserver and fetches Dapr’s CRDs' }
  return { kubectl, go }
}

/** One test that says why the suite cannot run: a failure under CI=true, a loud skip on a laptop. */
export function reportMissingTool(reason: string) {
  if (process.env.CI && process.env.CI !== 'false') {
    it('when CI runs the manifests tier, then kubectl and Go are available', () => {
      throw new Error(reason)
    })
  } else {
    console.warn(`\n*** SKIPPED the chart on a real API server: ${reason} ***\n`)
    it.skip('needs kubectl and Go', () => {})
  }
}

/** The bin folder of etcd, kube-apiserver and kube-controller-manager, built first when they are missing. */
export function kubeBinaries(): string {
  const out = execFileSync('bash', [repoPath('dev/platform/build.sh'), 'kube'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const bin = out.trimEnd().split('\n').at(-1) ?? ''
  if (!existsSync(join(bin, 'kube-apiserver'))) throw new Error(`dev/platform/build.sh kube printed no bin folder:\n${out}`)
  return bin
}

/** Dapr's own CRDs, from the Go module of the daprd the platform tier runs (the version build.sh pins). */
export function daprCrdDir(go: string): string {
  const version = /^DAPR_VERSION=(\S+)$/m.exec(readText('dev/platform/build.sh'))?.[1]
  if (!version) throw new Error('no DAPR_VERSION in dev/platform/build.sh')
  const info = JSON.parse(execFileSync(go, ['mod', 'download', '-json', `github.com/dapr/dapr@${version}`], { cwd: repoRoot, encoding: 'utf8' })) as { Dir?: string }
  if (!info.Dir) throw new Error(`go mod download found no github.com/dapr/dapr@${version}`)
  return join(info.Dir, 'charts/dapr/crds')
}

/** True once `url` answers 200 to the bearer token; the server's certificate is its own self-signed one. */
const answersWithToken = (url: string, token: string) => () =>
  new Promise<boolean>((resolve) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.once('error', () => resolve(false))
    req.once('timeout', () => req.destroy())
    req.end()
  })

/**
 * Starts etcd, then kube-apiserver on it (token auth, RBAC, a service-account key pair), then
 * kube-controller-manager, each on free loopback ports with its data under one temp folder. No kubelet:
 * objects are validated and stored, Pods stay Pending.
 * @example const server = await startApiServer({ bin: kubeBinaries(), kubectl }); server.kubectl(['get', 'ns'])
 */
export async function startApiServer(options: { bin: string; kubectl: string }): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ticketing-api-server-'))
  const processes: ManagedProcess[] = []
  // Should the test runner die before afterAll, the servers must not outlive it.
  const onExit = () => {
    for (const p of processes) void p.kill()
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', onExit)
  const stop = async () => {
    for (const p of processes.toReversed()) await p.stop()
    process.removeListener('exit', onExit)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const [etcdClient, etcdPeer, apiPort, controllerPort] = await Promise.all(Array.from({ length: 4 }, () => freePort()))
    const token = randomBytes(24).toString('hex')
    const url = `https://127.0.0.1:${apiPort}`
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text, { mode: 0o600 }), join(dir, name))
    const start = (name: string, args: string[]) => {
      const proc = startProcess({ name, command: join(options.bin, name), args, logFile: join(dir, `${name}.log`) })
      processes.push(proc)
      return proc
    }

    const etcd = start('etcd', [
      '--name', 'test', '--data-dir', join(dir, 'etcd'), '--unsafe-no-fsync',
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `test=http://127.0.0.1:${etcdPeer}`,
    ])
    await whenReady(etcd, async () => {
      const res = await fetch(`http://127.0.0.1:${etcdClient}/health`, { signal: AbortSignal.timeout(2_000) })
      return res.ok && ((await res.json()) as { health?: string }).health === 'true'
    })

    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
    const signingKey = file('sa.key', privateKey)
    mkdirSync(join(dir, 'certs'))
    const apiServer = start('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      `--token-auth-file=${file('tokens.csv', `${token},admin,admin,system:masters\n`)}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub', publicKey)}`,
      `--service-account-signing-key-file=${signingKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
    ])
    await whenReady(apiServer, answersWithToken(`${url}/readyz`, token), 120_000)

    const kubeconfig = file(
      'kubeconfig',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'test', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'admin', user: { token } }],
        contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
        'current-context': 'test',
      }),
    )
    // Only the controllers that turn a Deployment into Pods: the "default" ServiceAccount the Pods need,
    // Deployments, ReplicaSets, and the garbage collector for the owner references.
    const controllerManager = start('kube-controller-manager', [
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      '--controllers=serviceaccount-controller,deployment-controller,replicaset-controller,garbage-collector-controller',
      `--service-account-private-key-file=${signingKey}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1', `--secure-port=${controllerPort}`, `--cert-dir=${join(dir, 'certs')}`,
    ])
    await whenReady(controllerManager, answersWithToken(`https://127.0.0.1:${controllerPort}/healthz`, token))

    const kubectl = (args: string[], input?: string): KubectlResult => {
      const res = spawnSync(options.kubectl, ['--kubeconfig', kubeconfig, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      return { ok: res.status === 0, stdout: res.stdout ?? '', stderr: res.stderr ?? String(res.error ?? '') }
    }
    return { url, kubectl, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
