import type { CloudEvent, Subscription } from './types'

/** How a subscriber answered one delivery, reduced to what the broker does next. */
export type DeliveryOutcome =
  | { kind: 'success' }
  | { kind: 'retry'; reason: string }
  | { kind: 'drop'; reason: string; level: 'warn' | 'error' }

const REQUEST_TIMEOUT_MS = 30_000

/** Joins an app base URL and a route path without doubling or losing the slash. */
export function joinUrl(appUrl: string, path: string): string {
  return `${appUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

/** Picks the route Dapr would call: the first rule that always matches, else the first rule. */
export function selectPath(subscription: Subscription): string | undefined {
  return (subscription.rules.find((rule) => rule.match === '') ?? subscription.rules[0])?.path
}

function classify(status: number, body: string): DeliveryOutcome {
  if (status === 404) return { kind: 'drop', reason: 'HTTP 404 from the app', level: 'error' }
  if (status < 200 || status > 299) return { kind: 'retry', reason: `HTTP ${status} from the app` }
  let answer: unknown
  try {
    answer = JSON.parse(body)
  } catch {
    return { kind: 'success' }
  }
  const answered = (answer as { status?: unknown } | null)?.status
  if (typeof answered !== 'string' || answered === '' || answered.toUpperCase() === 'SUCCESS') return { kind: 'success' }
  if (answered.toUpperCase() === 'RETRY') return { kind: 'retry', reason: 'the app answered RETRY' }
  if (answered.toUpperCase() === 'DROP') return { kind: 'drop', reason: 'the app answered DROP', level: 'warn' }
  // An unknown status is an error for Dapr, hence a retry.
  return { kind: 'retry', reason: `the app answered an unknown status "${answered}"` }
}

/** POSTs one CloudEvent to the app's route and classifies the answer. */
export async function deliverEvent(
  appUrl: string,
  path: string,
  event: CloudEvent,
  signal: AbortSignal,
): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/cloudevents+json',
    traceparent: event.traceparent,
    pubsubname: event.pubsubname,
  }
  if (event.tracestate) headers.tracestate = event.tracestate
  try {
    const response = await fetch(joinUrl(appUrl, path), {
      method: 'POST',
      headers,
      body: JSON.stringify(event),
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    })
    return classify(response.status, await response.text())
  } catch (error) {
    return { kind: 'retry', reason: `the app could not be reached: ${(error as Error).message}` }
  }
}

/**
 * PUTs to `/actors/{type}/{id}/method/{...method}` on the actor host, each segment URL-encoded.
 * @example await invokeActor(appUrl, { actorType: 'OrderExpiration', actorId: 'o1', method: ['remind', 'expire'] }, { body })
 */
export function invokeActor(
  appUrl: string,
  target: { actorType: string; actorId: string; method: string[] },
  request: { body?: BodyInit; contentType?: string; signal?: AbortSignal },
): Promise<Response> {
  const path = ['actors', target.actorType, target.actorId, 'method', ...target.method].map(encodeURIComponent).join('/')
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  return fetch(joinUrl(appUrl, path), {
    method: 'PUT',
    headers: { 'content-type': request.contentType ?? 'application/json' },
    body: request.body,
    signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
  })
}

/** PUTs a reminder firing to the actor host; only an exact 200 counts as done, like Dapr. */
export async function invokeReminder(
  appUrl: string,
  target: { actorType: string; actorId: string; name: string },
  body: { data: unknown; dueTime: string; period: string },
  signal: AbortSignal,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const { actorType, actorId, name } = target
  try {
    const response = await invokeActor(appUrl, { actorType, actorId, method: ['remind', name] }, { body: JSON.stringify(body), signal })
    await response.arrayBuffer()
    return response.status === 200 ? { ok: true } : { ok: false, reason: `HTTP ${response.status} from the app` }
  } catch (error) {
    return { ok: false, reason: `the app could not be reached: ${(error as Error).message}` }
  }
}
