import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse, stringify } from 'yaml'
import { freePort } from '../stack/free-port'
import { answers, run, startProcess, whenReady, type ManagedProcess } from './process'

// Real Kratos and Keto, each on its own PostgreSQL database, with the project's ory/ files. The configs are
// the committed ones with this run's addresses put in, as the chart's environment variables do in the cluster.

const repo = resolve(import.meta.dirname, '../../..')
const fileUrl = (path: string) => `file://${resolve(repo, path)}`

type Yaml = Record<string, unknown>
const at = (node: unknown, ...path: Array<string | number>): Yaml => {
  let current = node
  for (const key of path) current = (current as Record<string | number, unknown>)[key]
  return current as Yaml
}

export interface RunningOry {
  url: string
  process: ManagedProcess
}

export interface KratosOptions {
  bin: string
  runDir: string
  dsn: string
  /** Where browsers reach the app (the gateway's origin); Kratos's public base URL is `<origin>/.ory/`. */
  origin: string
  webhookUrl: string
  webhookApiKey: string
  secret: string
}

/** Migrates Kratos's database, then serves its public API (the admin API stays on a loopback port). */
export async function startRealKratos(options: KratosOptions): Promise<RunningOry> {
  const [publicPort, adminPort] = await Promise.all([freePort(), freePort()])
  const text = readFileSync(join(repo, 'ory/kratos/kratos.yml'), 'utf8').replaceAll('http://127.0.0.1:8080', options.origin)
  const config = parse(text) as Yaml
  Object.assign(config, { dsn: options.dsn })
  Object.assign(at(config, 'serve', 'public'), { base_url: `${options.origin}/.ory/`, host: '127.0.0.1', port: publicPort })
  Object.assign(at(config, 'serve', 'admin'), { base_url: `http://127.0.0.1:${adminPort}/`, host: '127.0.0.1', port: adminPort })
  at(config, 'selfservice').allowed_return_urls = [options.origin, options.origin.replace('127.0.0.1', 'localhost')]
  const hook = at(config, 'selfservice', 'flows', 'registration', 'after', 'password', 'hooks', 0, 'config')
  Object.assign(hook, { url: options.webhookUrl, body: fileUrl('ory/kratos/registration-webhook.jsonnet') })
  Object.assign(at(hook, 'auth', 'config'), { value: options.webhookApiKey })
  at(config, 'identity', 'schemas', 0).url = fileUrl('ory/kratos/identity.schema.json')
  Object.assign(config, { secrets: { default: [options.secret], cookie: [options.secret], cipher: [options.secret.slice(0, 32)] } })
  // Sign-up hashes at the lowest cost Kratos allows: the tiers sign up many people, and the cost is not what they test.
  at(config, 'hashers', 'bcrypt').cost = 4
  const file = join(options.runDir, 'kratos.yml')
  writeFileSync(file, stringify(config))

  const kratos = join(options.bin, 'kratos')
  await run(kratos, ['migrate', 'sql', '-e', '--yes', '-c', file], { env: { DSN: options.dsn } })
  // --dev: cookies without the Secure flag, because this run serves plain http on loopback.
  const proc = startProcess({ name: 'kratos', command: kratos, args: ['serve', '-c', file, '--dev'], logFile: join(options.runDir, 'kratos.log') })
  const url = `http://127.0.0.1:${publicPort}`
  await whenReady(proc, answers(`${url}/health/ready`)).catch(async (err: unknown) => {
    await proc.kill()
    throw err
  })
  return { url, process: proc }
}

export interface KetoOptions {
  bin: string
  runDir: string
  dsn: string
}

/** Migrates Keto's database, then serves the read and write APIs with the project's OPL. */
export async function startRealKeto(options: KetoOptions): Promise<RunningOry & { writeUrl: string }> {
  const [readPort, writePort, oplPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
  const config = parse(readFileSync(join(repo, 'ory/keto/keto.yml'), 'utf8')) as Yaml
  Object.assign(config, { dsn: options.dsn, namespaces: { location: fileUrl('ory/keto/namespaces.keto.ts') } })
  Object.assign(config, {
    serve: {
      read: { host: '127.0.0.1', port: readPort },
      write: { host: '127.0.0.1', port: writePort },
      opl: { host: '127.0.0.1', port: oplPort },
      metrics: { host: '127.0.0.1', port: metricsPort },
    },
  })
  const file = join(options.runDir, 'keto.yml')
  writeFileSync(file, stringify(config))

  const keto = join(options.bin, 'keto')
  await run(keto, ['migrate', 'up', '--yes', '-c', file])
  const proc = startProcess({ name: 'keto', command: keto, args: ['serve', '-c', file], logFile: join(options.runDir, 'keto.log') })
  const url = `http://127.0.0.1:${readPort}`
  await whenReady(proc, answers(`${url}/health/ready`)).catch(async (err: unknown) => {
    await proc.kill()
    throw err
  })
  return { url, writeUrl: `http://127.0.0.1:${writePort}`, process: proc }
}
