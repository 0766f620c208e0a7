import { Hono } from 'hono'
import { problem } from '@ticketing/shared/platform'
import type { Deps } from '../deps'
import { handleStripeEvent } from '../domain/handle-stripe-event'

/** `/api/payments/webhooks/stripe`: Stripe's deliveries, authenticated by their signature instead of a session. */
export function webhooksRoutes(deps: Deps) {
  const app = new Hono()
  app.post('/stripe', async (c) => {
    if (!deps.verifyWebhook) {
      // 503 rather than 404: Stripe keeps retrying a failed delivery for up to three days, so events sent
      // while the secret is missing arrive once it is configured. Which setting is missing is for the log
      // only; the caller is anyone on the internet.
      c.var.log.error({ code: 'webhook-not-configured' }, 'Stripe web hook refused: STRIPE_WEBHOOK_SECRET is not set')
      return problem(c, 503, 'webhook-not-configured', 'Web-hook deliveries cannot be accepted right now; try again later')
    }
    // The signature covers the exact bytes Stripe sent: verify the raw body, never re-serialised JSON.
    const event = await deps.verifyWebhook(await c.req.text(), c.req.header('stripe-signature'))
    const outcome = await handleStripeEvent(deps, event, c.var.log)
    return c.json({ received: true, outcome }, 200)
  })
  return app
}
