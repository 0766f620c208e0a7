import { startLocalStack } from '../dev/src/stack'

// One measured process: the whole embedded run (`npm start`) on BENCH_DATA_DIR. It prints where it listens as
// one JSON line, then serves until SIGTERM.
const dataDir = process.env.BENCH_DATA_DIR ?? ':memory:'
// The gateway's per-client write limits would measure 429s: one client sends all the load here.
const stack = await startLocalStack({
  port: 0,
  dataDir,
  quiet: true,
  env: { ...process.env, GATEWAY_API_WRITES_PER_MINUTE: '0', GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE: '0' },
})
process.stdout.write(`${JSON.stringify({ gateway: stack.url, tickets: stack.services.tickets!.url })}\n`)
process.once('SIGTERM', () => void stack.close().then(() => process.exit(0)))
