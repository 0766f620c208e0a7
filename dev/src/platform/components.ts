import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse, stringify } from 'yaml'

// The run's Dapr components: the self-hosted twins in dapr/local (and the Redis Streams swap of
// dapr/swaps), pointed at this run's vhost and Redis database. Scopes are dropped so a test's own app
// can subscribe beside the services.

const repo = resolve(import.meta.dirname, '../../..')

type Metadata = Array<{ name: string; value?: string; secretKeyRef?: unknown }>
type Component = { metadata: { name: string }; spec: { type: string; metadata: Metadata }; scopes?: string[] }

const read = (path: string) => parse(readFileSync(join(repo, path), 'utf8')) as Component

/** `values` set on the component's metadata (replacing a secret reference of the same name). */
function withValues(component: Component, values: Record<string, string>): Component {
  const kept = component.spec.metadata.filter((item) => !(item.name in values))
  const metadata = [...kept, ...Object.entries(values).map(([name, value]) => ({ name, value }))]
  const { scopes: _scopes, ...rest } = component
  return { ...rest, spec: { ...component.spec, metadata } }
}

export type Pubsub = 'rabbitmq' | 'redis'

/** Writes pubsub.yaml and statestore.yaml into `<runDir>/components` and returns that folder. */
export function writeComponents(runDir: string, options: { pubsub: Pubsub; rabbitmqUrl: string; redisHost: string; redisDb: number }): string {
  const dir = join(runDir, 'components')
  mkdirSync(dir, { recursive: true })
  const redis = { redisHost: options.redisHost, redisPassword: '', redisDB: String(options.redisDb) }
  const pubsub =
    options.pubsub === 'rabbitmq'
      ? withValues(read('dapr/local/pubsub.yaml'), { connectionString: options.rabbitmqUrl })
      : withValues(read('dapr/swaps/pubsub-redis.yaml'), redis)
  writeFileSync(join(dir, 'pubsub.yaml'), stringify(pubsub))
  writeFileSync(join(dir, 'statestore.yaml'), stringify(withValues(read('dapr/local/statestore.yaml'), redis)))
  return dir
}
