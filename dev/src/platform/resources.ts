import { run } from './process'

// What a platform run uses on the machine's RabbitMQ, Redis and PostgreSQL. A test run takes its own
// vhost, Redis database and PostgreSQL databases, and removes them after; `npm run start:platform`
// keeps its own under fixed names, so its accounts, tickets and orders are there after a restart.

export interface PlatformUrls {
  /** amqp://user:password@host:port (no vhost): the run adds its own. */
  rabbitmq: string
  /** host:port of Redis. */
  redis: string
  /** postgres://user@host:port (no database): the run adds its own. */
  postgres: string
}

export const platformUrls = (env: Record<string, string | undefined>): PlatformUrls => ({
  rabbitmq: env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redis: env.REDIS_HOST ?? '127.0.0.1:6379',
  postgres: env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
})

export interface RunResources {
  vhost: string
  redisDb: number
  databases: { kratos: string; keto: string }
  rabbitmqUrl: string
  postgresDsn(database: string): string
  /** Queued or unacknowledged messages across the run's queues or streams (for settle()). */
  pendingMessages(pubsub: 'rabbitmq' | 'redis'): Promise<number>
  /** Removes what the run created (test runs only). */
  remove(): Promise<void>
}

const redisCli = (urls: PlatformUrls, db: number, ...args: string[]) => {
  const [host, port] = urls.redis.split(':')
  return run('redis-cli', ['-h', host ?? '127.0.0.1', '-p', port ?? '6379', '-n', String(db), '--no-raw', ...args])
}
const psql = (urls: PlatformUrls, sql: string) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `${urls.postgres}/postgres`, '-c', sql])

/** An identifier safe to put in SQL, a vhost name and a file name. */
const RUN_ID = /^[a-z][a-z0-9_]{0,40}$/

/**
 * Takes (or, with `keep`, reuses) the run's vhost, Redis database and PostgreSQL databases.
 * @example const resources = await claimResources('t_abc123', platformUrls(process.env), { keep: false })
 */
export async function claimResources(runId: string, urls: PlatformUrls, options: { keep: boolean; redisDb?: number }): Promise<RunResources> {
  if (!RUN_ID.test(runId)) throw new Error(`run id ${runId} must match ${RUN_ID}`)
  const vhost = `ticketing_${runId}`
  const databases = { kratos: `ticketing_${runId}_kratos`, keto: `ticketing_${runId}_keto` }

  const vhosts = await run('rabbitmqctl', ['-q', 'list_vhosts', '--no-table-headers'])
  if (!vhosts.split('\n').includes(vhost)) await run('rabbitmqctl', ['-q', 'add_vhost', vhost])
  const user = new URL(urls.rabbitmq).username || 'guest'
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, user, '.*', '.*', '.*'])

  const existing = (await run('psql', ['-X', '-A', '-t', `${urls.postgres}/postgres`, '-c', 'SELECT datname FROM pg_database'])).split('\n')
  for (const database of Object.values(databases)) if (!existing.includes(database)) await psql(urls, `CREATE DATABASE ${database}`)

  // Redis has no namespaces; a test run takes a database of its own (1–15) that is empty now.
  let redisDb = options.redisDb ?? 0
  if (!options.keep && options.redisDb === undefined) {
    const candidates = Array.from({ length: 15 }, (_, i) => i + 1).sort(() => Math.random() - 0.5)
    const empty = await (async () => {
      for (const db of candidates) if ((await redisCli(urls, db, 'DBSIZE')).trim() === '(integer) 0') return db
      throw new Error('no empty Redis database among 1–15 for this run')
    })()
    redisDb = empty
  }

  const amqp = new URL(urls.rabbitmq)
  amqp.pathname = `/${encodeURIComponent(vhost)}`
  return {
    vhost,
    redisDb,
    databases,
    rabbitmqUrl: amqp.toString(),
    postgresDsn: (database) => `${urls.postgres}/${database}?sslmode=disable`,
    async pendingMessages(pubsub) {
      if (pubsub === 'rabbitmq') {
        const rows = await run('rabbitmqctl', ['-q', 'list_queues', '-p', vhost, '--no-table-headers', 'messages_ready', 'messages_unacknowledged'])
        return rows.split(/\s+/).filter(Boolean).reduce((sum, n) => sum + Number(n), 0)
      }
      const streams = (await redisCli(urls, redisDb, '--raw', 'SCAN', '0', 'COUNT', '1000', 'TYPE', 'stream')).split('\n').slice(1).filter(Boolean)
      let pending = 0
      for (const stream of streams) {
        const groups = await redisCli(urls, redisDb, '--raw', 'XINFO', 'GROUPS', stream)
        // Each group prints name, consumers, pending, last-delivered-id, entries-read, lag as key/value lines.
        const lines = groups.split('\n')
        lines.forEach((line, i) => {
          if (line === 'pending' || line === 'lag') pending += Number(lines[i + 1]) || 0
        })
      }
      return pending
    },
    async remove() {
      await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]).catch(() => undefined)
      for (const database of Object.values(databases)) await psql(urls, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined)
      if (redisDb !== 0) await redisCli(urls, redisDb, 'FLUSHDB').catch(() => undefined)
    },
  }
}
