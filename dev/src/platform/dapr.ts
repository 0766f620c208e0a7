import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { claimPort, freePort } from '../stack/free-port'
import { answers, startProcess, whenReady, type ManagedProcess } from './process'

// Dapr's control plane and sidecars, as `dapr init --slim` + `dapr run` would start them.

export interface ControlPlane {
  placement: string
  scheduler: string
  processes: ManagedProcess[]
}

/** Placement (actor placement tables) and Scheduler (reminders, in its embedded etcd under `dataDir`). */
export async function startControlPlane(options: { bin: string; runDir: string; dataDir: string }): Promise<ControlPlane> {
  const [placementPort, placementHealth, raftPort, schedulerPort, schedulerHealth, etcdClient, etcdPeer, metricsA, metricsB] = await Promise.all(
    Array.from({ length: 9 }, () => freePort()),
  )
  const placement = startProcess({
    name: 'placement',
    command: join(options.bin, 'placement'),
    args: [
      '--port', String(placementPort), '--listen-address', '127.0.0.1',
      '--healthz-port', String(placementHealth), '--healthz-listen-address', '127.0.0.1',
      '--metrics-port', String(metricsA), '--metrics-listen-address', '127.0.0.1',
      '--initial-cluster', `dapr-placement-0=127.0.0.1:${raftPort}`,
    ],
    logFile: join(options.runDir, 'placement.log'),
  })
  const etcdDir = join(options.dataDir, 'scheduler')
  mkdirSync(etcdDir, { recursive: true })
  const scheduler = startProcess({
    name: 'scheduler',
    command: join(options.bin, 'scheduler'),
    args: [
      '--port', String(schedulerPort), '--listen-address', '127.0.0.1',
      '--healthz-port', String(schedulerHealth), '--healthz-listen-address', '127.0.0.1',
      '--metrics-port', String(metricsB), '--metrics-listen-address', '127.0.0.1',
      '--etcd-data-dir', etcdDir,
      '--etcd-client-port', String(etcdClient), '--etcd-client-listen-address', '127.0.0.1',
      '--etcd-initial-cluster', `dapr-scheduler-server-0=http://127.0.0.1:${etcdPeer}`,
      '--identity-directory-write', join(options.runDir, 'scheduler-identity'),
    ],
    logFile: join(options.runDir, 'scheduler.log'),
  })
  const processes = [placement, scheduler]
  try {
    await Promise.all([
      whenReady(placement, answers(`http://127.0.0.1:${placementHealth}/healthz`)),
      whenReady(scheduler, answers(`http://127.0.0.1:${schedulerHealth}/healthz`)),
    ])
  } catch (err) {
    await Promise.all(processes.map((p) => p.kill()))
    throw err
  }
  return { placement: `127.0.0.1:${placementPort}`, scheduler: `127.0.0.1:${schedulerPort}`, processes }
}

export interface DaprdOptions {
  bin: string
  runDir: string
  appId: string
  appPort: number
  httpPort: number
  resourcesPaths: string[]
  config: string
  controlPlane: ControlPlane
}

/** A sidecar for one app, with app health checks on `/healthz` as the chart's annotations set them. */
export function startDaprd(options: DaprdOptions): ManagedProcess {
  return startProcess({
    name: `daprd ${options.appId}`,
    command: join(options.bin, 'daprd'),
    args: [
      '--app-id', options.appId,
      '--app-port', String(options.appPort),
      '--app-protocol', 'http',
      '--app-channel-address', '127.0.0.1',
      '--dapr-http-port', String(options.httpPort),
      // gRPC, internal gRPC and metrics ports of their own (0 would still clash on the metrics default).
      '--dapr-grpc-port', String(options.httpPort + 1),
      '--dapr-internal-grpc-port', String(options.httpPort + 2),
      '--metrics-port', String(options.httpPort + 3),
      '--dapr-listen-addresses', '127.0.0.1',
      ...options.resourcesPaths.flatMap((path) => ['--resources-path', path]),
      '--config', options.config,
      '--placement-host-address', options.controlPlane.placement,
      '--scheduler-host-address', options.controlPlane.scheduler,
      '--enable-app-health-check', '--app-health-check-path', '/healthz',
      '--log-level', 'info',
    ],
    logFile: join(options.runDir, `daprd-${options.appId}.log`),
  })
}

/** A port P such that P..P+3 are free: a sidecar's HTTP, gRPC, internal gRPC and metrics ports. */
export async function sidecarPorts(): Promise<number> {
  for (;;) {
    const base = await freePort()
    const rest = await Promise.all([1, 2, 3].map((offset) => claimPort(base + offset)))
    if (rest.every(Boolean)) return base
  }
}

/** True once the sidecar has loaded its components and reached its app. */
export const daprdReady = (httpPort: number) => answers(`http://127.0.0.1:${httpPort}/v1.0/healthz`, [204])
