import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'
import { parseDuration } from './due-time'
import { constantRetries, exponentialRetries, noRetries, type RetryPolicy } from './retry-policy'

// The part of a Dapr Resiliency document the stand-in applies: the retry policy on a pub/sub
// component's inbound target, which is how daprd retries deliveries to the app.

const duration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
    return z.NEVER
  }
})

const retrySchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('constant'), duration: duration.default(5000), maxRetries: z.number().int().default(-1) }),
  z.object({ policy: z.literal('exponential'), maxInterval: duration.default(60_000), maxRetries: z.number().int().default(-1) }),
])

const resiliencySchema = z.object({
  kind: z.literal('Resiliency'),
  spec: z.object({
    policies: z.object({ retries: z.record(z.string(), retrySchema).default({}) }).default({ retries: {} }),
    targets: z
      .object({
        components: z.record(z.string(), z.object({ inbound: z.object({ retry: z.string().optional() }).optional() })).default({}),
      })
      .default({ components: {} }),
  }),
})

/** Raised when a Resiliency document cannot be read; daprd refuses to start on one too. */
export class InvalidResiliencyError extends Error {
  override name = 'InvalidResiliencyError'
}

/**
 * The delivery retry policy a Resiliency document gives the pub/sub component `pubsubName`
 * (no retries when no policy targets it).
 * @example const delivery = inboundRetries(readFileSync('dapr/resiliency/resiliency.yaml', 'utf8'), 'pubsub')
 */
export function inboundRetries(yamlText: string, pubsubName: string): RetryPolicy {
  const parsed = resiliencySchema.safeParse(parse(yamlText))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidResiliencyError(`the Resiliency is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  const { policies, targets } = parsed.data.spec
  const name = targets.components[pubsubName]?.inbound?.retry
  if (!name) return noRetries
  const retry = policies.retries[name]
  if (!retry) throw new InvalidResiliencyError(`the Resiliency targets ${pubsubName} with retry policy "${name}", which it does not define`)
  const maxRetries = retry.maxRetries < 0 ? Infinity : retry.maxRetries
  return retry.policy === 'constant' ? constantRetries(retry.duration, maxRetries) : exponentialRetries(retry.maxInterval, maxRetries)
}

/** {@link inboundRetries} of a Resiliency file. */
export const inboundRetriesOf = (file: string, pubsubName: string): RetryPolicy => inboundRetries(readFileSync(file, 'utf8'), pubsubName)
