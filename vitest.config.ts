import { spawnSync } from 'node:child_process'
import { defineConfig, type TestProjectConfiguration } from 'vitest/config'

// The platform tier needs Go (to build daprd, Kratos and Keto) and the machine's RabbitMQ, Redis and
// PostgreSQL tools. A laptop without them skips the tier, loudly; CI always runs it.
const platformTools = ['go', 'rabbitmqctl', 'redis-cli', 'psql'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
if (platformTools.length > 0 && !process.env.CI) console.warn(`SKIPPING the platform tier: ${platformTools.join(', ')} not found`)

/** The system tests, unchanged, on real daprd over `pubsub`, real Kratos and real Keto; plus what only the platform shows. */
const platform = (pubsub: 'rabbitmq' | 'redis'): TestProjectConfiguration => ({
  test: {
    name: `platform-${pubsub}`,
    include: [
      'test/system/{purchase,expiry,redelivery,tickets,mongo-storage}.system.test.ts',
      'test/platform/**/*.platform.test.ts',
      ...(pubsub === 'rabbitmq' ? ['**/*.fidelity.test.ts'] : []),
    ],
    exclude: ['**/node_modules/**'],
    env: { PLATFORM_PUBSUB: pubsub },
    globalSetup: ['test/setup/platform.ts', 'test/setup/ferretdb.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
})

// One project per test tier of ARCHITECTURE.md; `npm test` runs them all.
export default defineConfig({
  test: {
    // CI totals every tier from this report (see .ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/src/**/*.test.ts', 'dev/src/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/*.contract.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: { name: 'component', include: ['services/*/test/**/*.api.test.ts'] },
      },
      {
        test: { name: 'contract', include: ['**/*.contract.test.ts', '**/*.fidelity.test.ts'], exclude: ['**/node_modules/**'] },
      },
      {
        test: {
          name: 'adapter',
          include: ['services/*/test/**/*.adapter.test.ts'],
          globalSetup: ['test/setup/ferretdb.ts', 'test/setup/stripe-mock.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          // One file runs the whole stack on MongoDB storage.
          globalSetup: ['test/setup/ferretdb.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'durability',
          include: ['test/durability/**/*.durability.test.ts'],
          // The marketplace runs as `npm start` does, and its gateway serves the built web app; one run
          // keeps the services' data on the MongoDB-wire server.
          globalSetup: ['test/setup/web-build.ts', 'test/setup/ferretdb.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'security',
          include: ['test/security/**/*.security.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: { name: 'manifests', include: ['k8s/test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/web-build.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      ...(platformTools.length === 0 || process.env.CI ? [platform('rabbitmq'), platform('redis')] : []),
    ],
  },
})
