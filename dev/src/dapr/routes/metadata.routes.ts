import { Hono } from 'hono'
import type { SidecarContext } from '../sidecar-context'

/** The runtime version this stand-in reports; it follows the Dapr API of the 1.15–1.18 line. */
const RUNTIME_VERSION = '1.16.0'

function metadata(ctx: SidecarContext) {
  const appUrl = new URL(ctx.appUrl)
  const actors = (ctx.discovery?.actorTypes ?? []).map((type) => ({ type, count: ctx.broker.reminders.actorCount(type) }))
  return {
    id: ctx.appId,
    runtimeVersion: RUNTIME_VERSION,
    enabledFeatures: [],
    actors,
    components: [
      { name: ctx.pubsubName, type: 'pubsub.in-memory', version: 'v1' },
      { name: ctx.stateStoreName, type: 'state.in-memory', version: 'v1', capabilities: ['ETAG', 'ACTOR'] },
    ],
    extended: { daprRuntimeVersion: RUNTIME_VERSION, ...ctx.extended },
    // Dapr's HTTP API flattens the proto's rules.rules into rules[].
    subscriptions: (ctx.discovery?.subscriptions ?? []).map((s) => ({
      pubsubname: s.pubsubname,
      topic: s.topic,
      ...(s.metadata ? { metadata: s.metadata } : {}),
      rules: s.rules.map((rule) => (rule.match ? rule : { path: rule.path })),
      deadLetterTopic: s.deadLetterTopic ?? '',
      type: 'PROGRAMMATIC',
    })),
    appConnectionProperties: {
      port: Number(appUrl.port || (appUrl.protocol === 'https:' ? 443 : 80)),
      protocol: appUrl.protocol === 'https:' ? 'https' : 'http',
      channelAddress: appUrl.hostname,
      health: { healthProbeInterval: '5s', healthProbeTimeout: '500ms', healthThreshold: 3 },
    },
    actorRuntime: {
      runtimeStatus: 'RUNNING',
      activeActors: actors,
      hostReady: true,
      placement: 'placement: connected',
    },
  }
}

/** `GET /v1.0/metadata` shaped like daprd's answer, and `PUT /v1.0/metadata/{key}` for custom attributes. */
export function metadataRoutes(ctx: SidecarContext): Hono {
  return new Hono()
    .get('/v1.0/metadata', (c) => c.json(metadata(ctx)))
    .put('/v1.0/metadata/:key', async (c) => {
      ctx.extended[c.req.param('key')] = await c.req.text()
      return c.body(null, 204)
    })
}
