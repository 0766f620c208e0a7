import { randomBytes, randomUUID } from 'node:crypto'
import type { CloudEvent } from './types'

/** Raised when a body sent as `application/cloudevents+json` is not a JSON object. */
export class InvalidCloudEventError extends Error {
  override name = 'InvalidCloudEventError'
}

/** What a publish request carries, as the sidecar received it. */
export interface PublishRequest {
  body: Buffer
  contentType?: string
  pubsubName: string
  topic: string
  /** The publisher's app-id, used as the CloudEvent source. */
  source: string
  traceparent?: string
  tracestate?: string
  /** `metadata.cloudevent.*` query parameters. Dapr applies them to envelopes it builds, not to ones it is given. */
  overrides?: { id?: string; source?: string; type?: string; traceparent?: string; traceid?: string; tracestate?: string }
  now: Date
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/
const DEFAULT_CONTENT_TYPE = 'text/plain'

/** Returns a fresh W3C traceparent with the sampled flag set. */
function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase()
}

function isJsonMedia(media: string): boolean {
  return media === 'application/json' || (media.endsWith('+json') && media !== 'application/cloudevents+json')
}

function decodeData(body: Buffer, contentType: string): Pick<CloudEvent, 'data' | 'data_base64'> {
  const media = mediaType(contentType)
  if (media === 'application/octet-stream') return { data_base64: body.toString('base64') }
  const text = body.toString('utf8')
  if (!isJsonMedia(media)) return { data: text }
  try {
    return { data: JSON.parse(text) }
  } catch {
    return { data: text }
  }
}

function parseCloudEvent(body: Buffer): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    throw new InvalidCloudEventError('the body is not valid JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidCloudEventError('the body is not a JSON object')
  }
  return parsed as Record<string, unknown>
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Wraps a published body in the CloudEvent envelope Dapr delivers, or completes one sent as a CloudEvent. */
export function buildCloudEvent(request: PublishRequest): CloudEvent {
  const contentType = request.contentType?.trim() || DEFAULT_CONTENT_TYPE
  const passThrough = mediaType(contentType) === 'application/cloudevents+json'
  const given: Record<string, unknown> = passThrough
    ? parseCloudEvent(request.body)
    : decodeData(request.body, contentType)
  const { overrides = {} } = request
  // Dapr takes a traceparent (or the older traceid) override as is; otherwise the caller's span, or a new trace.
  const traceOverride = passThrough ? undefined : overrides.traceparent || overrides.traceid
  const traceparent =
    traceOverride || ([request.traceparent, text(given.traceparent)].find((t) => t !== undefined && TRACEPARENT.test(t)) ?? newTraceparent())
  return {
    ...given,
    id: overrides.id || text(given.id) || randomUUID(),
    source: overrides.source || text(given.source) || request.source,
    type: overrides.type || text(given.type) || 'com.dapr.event.sent',
    specversion: text(given.specversion) ?? '1.0',
    datacontenttype: passThrough ? (text(given.datacontenttype) ?? 'application/json') : contentType,
    topic: request.topic,
    pubsubname: request.pubsubName,
    traceparent,
    traceid: traceparent,
    tracestate: (passThrough ? undefined : overrides.tracestate) || (request.tracestate ?? text(given.tracestate) ?? ''),
    time: text(given.time) ?? request.now.toISOString(),
  }
}
