import { Hono } from 'hono'
import type { SidecarContext } from '../sidecar-context'
import { daprError } from './dapr-error'

/** `/v1.0/healthz` (ready once the app is discovered) and `/v1.0/healthz/outbound` (ready at once). */
export function healthRoutes(ctx: SidecarContext): Hono {
  return new Hono()
    .get('/v1.0/healthz', (c) =>
      ctx.discovery ? c.body(null, 204) : daprError(c, 500, 'ERR_HEALTH_NOT_READY', 'dapr is not ready'),
    )
    .get('/v1.0/healthz/outbound', (c) => c.body(null, 204))
}
