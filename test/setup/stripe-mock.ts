import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { ensureGoTool } from './go-tool'

const STRIPE_MOCK = 'github.com/stripe/stripe-mock@v0.197.0'
const binDir = resolve(import.meta.dirname, '../../dev/stripe-mock/bin')
const binary = join(binDir, 'stripe-mock')

declare module 'vitest' {
  export interface ProvidedContext {
    stripeMockUrl: string
  }
}

/** Builds stripe-mock once (Go is on every machine of this project), then serves it on a free loopback port. */
export default async function setup(project: TestProject) {
  if (process.env.STRIPE_MOCK_URL) {
    project.provide('stripeMockUrl', process.env.STRIPE_MOCK_URL)
    return
  }
  if (!ensureGoTool({ binary, goArgs: ['install', STRIPE_MOCK], env: { GOBIN: binDir }, what: 'stripe-mock (the Stripe adapter tests)' })) {
    project.provide('stripeMockUrl', '')
    return
  }
  // Port 0 for both listeners: it picks free ports, and without -https-addr stripe-mock would also claim :12112 on every interface.
  const child = spawn(binary, ['-http-addr', '127.0.0.1:0', '-https-addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const address = await listeningAddress(child)
  project.provide('stripeMockUrl', `http://${address}`)

  return async () => {
    if (child.exitCode !== null) return
    child.kill('SIGTERM')
    await new Promise((done) => child.once('exit', done))
  }
}

/** stripe-mock prints `Listening for HTTP at address: 127.0.0.1:<port>` once it accepts connections. */
function listeningAddress(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((done, fail) => {
    let log = ''
    let found = false
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      fail(new Error(`stripe-mock did not start listening within 30 s:\n${log}`))
    }, 30_000)
    // Keeps draining the pipes after start-up (a full pipe would block stripe-mock) but stops collecting.
    const read = (chunk: Buffer) => {
      if (found) return
      log += chunk.toString()
      const address = log.match(/Listening for HTTP at address: (\S+)/)?.[1]
      if (address) {
        found = true
        clearTimeout(timer)
        done(address)
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`stripe-mock exited early (${code}):\n${log}`))
    })
  })
}
