import { setTimeout as sleep } from 'node:timers/promises'
import { joinUrl } from './app-channel'
import type { DaprLogger, Subscription } from './types'

/** Raised when the app does not answer HTTP within the start-up timeout. */
export class AppNotReadyError extends Error {
  override name = 'AppNotReadyError'
}

/** Polls the app until it answers HTTP at all (any status), as daprd waits for its app port. */
export async function waitForApp(appUrl: string, timeoutMs: number, intervalMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError = 'no attempt made'
  while (Date.now() <= deadline) {
    try {
      const response = await fetch(appUrl, { signal: AbortSignal.timeout(Math.max(intervalMs, 1000)) })
      await response.arrayBuffer()
      return
    } catch (error) {
      lastError = (error as Error).message
    }
    await sleep(intervalMs)
  }
  throw new AppNotReadyError(`the app at ${appUrl} did not answer HTTP within ${timeoutMs} ms (last error: ${lastError})`)
}

async function getJson(appUrl: string, path: string, logger: DaprLogger): Promise<unknown> {
  const response = await fetch(joinUrl(appUrl, path), { signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  if (response.status === 404) return undefined
  if (!response.ok) {
    logger.error({ appUrl, path, status: response.status }, 'the app failed a discovery call')
    return undefined
  }
  try {
    return JSON.parse(text)
  } catch {
    logger.error({ appUrl, path }, 'the app answered a discovery call with invalid JSON')
    return undefined
  }
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
const withSlash = (path: string) => (path.startsWith('/') ? path : `/${path}`)

function stringMap(value: unknown): Record<string, string> | undefined {
  const entries = Object.entries(asRecord(value))
  return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [k, String(v)])) : undefined
}

function normalise(raw: unknown, logger: DaprLogger): Subscription | undefined {
  const entry = asRecord(raw)
  const { pubsubname, topic } = entry
  if (typeof pubsubname !== 'string' || typeof topic !== 'string' || !pubsubname || !topic) {
    logger.warn({ entry }, 'ignoring a subscription without pubsubname or topic')
    return undefined
  }
  const routes = asRecord(entry.routes)
  const rules = (Array.isArray(routes.rules) ? routes.rules : [])
    .map(asRecord)
    .filter((rule) => typeof rule.path === 'string' && rule.path !== '')
    .map((rule) => ({ match: typeof rule.match === 'string' ? rule.match : '', path: withSlash(rule.path as string) }))
  const fallback = typeof routes.default === 'string' && routes.default ? routes.default : entry.route
  if (typeof fallback === 'string' && fallback) rules.push({ match: '', path: withSlash(fallback) })
  if (rules.length === 0) {
    logger.warn({ pubsubname, topic }, 'ignoring a subscription without a route')
    return undefined
  }
  const deadLetterTopic = typeof entry.deadLetterTopic === 'string' && entry.deadLetterTopic ? entry.deadLetterTopic : undefined
  return { pubsubname, topic, rules, deadLetterTopic, metadata: stringMap(entry.metadata) }
}

/** Reads `GET /dapr/subscribe` (404 = none) and normalises both the `route` and `routes` forms. */
export async function discoverSubscriptions(appUrl: string, logger: DaprLogger): Promise<Subscription[]> {
  const body = await getJson(appUrl, '/dapr/subscribe', logger)
  if (body === undefined) return []
  if (!Array.isArray(body)) {
    logger.error({ appUrl }, '/dapr/subscribe did not answer a JSON array')
    return []
  }
  return body.map((raw) => normalise(raw, logger)).filter((s): s is Subscription => s !== undefined)
}

/** Reads `GET /dapr/config` (404 = no actors) and returns the hosted actor types. */
export async function discoverActorTypes(appUrl: string, logger: DaprLogger): Promise<string[]> {
  const entities = asRecord(await getJson(appUrl, '/dapr/config', logger)).entities
  return Array.isArray(entities) ? entities.filter((e): e is string => typeof e === 'string' && e !== '') : []
}
