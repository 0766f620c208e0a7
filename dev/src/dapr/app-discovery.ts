import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LogSink } from '@ticketing/shared/platform'
import { z } from 'zod'
import { joinUrl } from './app-channel'
import type { Subscription } from './types'

/** Raised when the app does not answer HTTP within the start-up timeout. */
export class AppNotReadyError extends Error {
  override name = 'AppNotReadyError'
}

/** Opens and closes one TCP connection to the app's port; rejects when nothing accepts it. */
function dial(appUrl: string, timeoutMs: number): Promise<void> {
  const url = new URL(appUrl)
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: timeoutMs })
    socket.once('connect', () => {
      socket.destroy()
      resolve()
    })
    socket.once('timeout', () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    socket.once('error', reject)
  })
}

/** Waits until the app's port accepts a connection, as daprd does before discovery: no HTTP request reaches the app. */
export async function waitForApp(appUrl: string, timeoutMs: number, intervalMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError = 'no attempt made'
  while (Date.now() <= deadline) {
    try {
      await dial(appUrl, Math.max(intervalMs, 1000))
      return
    } catch (error) {
      lastError = (error as Error).message
    }
    await sleep(intervalMs)
  }
  throw new AppNotReadyError(`the app at ${appUrl} did not accept a connection within ${timeoutMs} ms (last error: ${lastError})`)
}

async function getJson(appUrl: string, path: string, logger: LogSink): Promise<unknown> {
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

const withSlash = (path: string) => (path.startsWith('/') ? path : `/${path}`)
// A field of the wrong type is ignored, as if absent, rather than rejecting the whole subscription.
const text = z.string().min(1).optional().catch(undefined)
const routePath = z.string().min(1).transform(withSlash).optional().catch(undefined)

const subscriptionSchema = z.object({
  pubsubname: z.string().min(1),
  topic: z.string().min(1),
  route: routePath,
  routes: z
    .object({
      rules: z.array(z.object({ match: z.string().catch(''), path: routePath }).catch({ match: '', path: undefined })).catch([]),
      default: routePath,
    })
    .catch({ rules: [], default: undefined }),
  deadLetterTopic: text,
  metadata: z
    .record(z.string(), z.unknown())
    .transform((map) => (Object.keys(map).length > 0 ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])) : undefined))
    .optional()
    .catch(undefined),
})

const configSchema = z.object({ entities: z.array(text).catch([]) }).catch({ entities: [] })

function normalise(raw: unknown, logger: LogSink): Subscription | undefined {
  const parsed = subscriptionSchema.safeParse(raw)
  if (!parsed.success) {
    logger.warn({ entry: raw }, 'ignoring a subscription without pubsubname or topic')
    return undefined
  }
  const { pubsubname, topic, route, routes, deadLetterTopic, metadata } = parsed.data
  const rules = routes.rules.flatMap(({ match, path }) => (path ? [{ match, path }] : []))
  const fallback = routes.default ?? route
  if (fallback) rules.push({ match: '', path: fallback })
  if (rules.length === 0) {
    logger.warn({ pubsubname, topic }, 'ignoring a subscription without a route')
    return undefined
  }
  return { pubsubname, topic, rules, deadLetterTopic, metadata }
}

/** Reads `GET /dapr/subscribe` (404 = none) and normalises both the `route` and `routes` forms. */
export async function discoverSubscriptions(appUrl: string, logger: LogSink): Promise<Subscription[]> {
  const body = await getJson(appUrl, '/dapr/subscribe', logger)
  if (body === undefined) return []
  if (!Array.isArray(body)) {
    logger.error({ appUrl }, '/dapr/subscribe did not answer a JSON array')
    return []
  }
  return body.map((raw) => normalise(raw, logger)).filter((s): s is Subscription => s !== undefined)
}

/** Reads `GET /dapr/config` (404 = no actors) and returns the hosted actor types. */
export async function discoverActorTypes(appUrl: string, logger: LogSink): Promise<string[]> {
  const { entities } = configSchema.parse(await getJson(appUrl, '/dapr/config', logger))
  return entities.filter((entity) => entity !== undefined)
}
