import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { kratosError, type KratosError } from './errors'
import type { WebHookConfig } from './kratos-config'
import type { KratosDeps } from './kratos-deps'

const maxRetries = 2 // Kratos's HTTP client: ResilientClientWithMaxRetry(2)

const retryable = (status: number) => status === 429 || (status >= 500 && status !== 501)

// Kratos names each web-hook request, the same id on every retry of it, so the target can tell a retry from a new call.
function headersFor(hook: WebHookConfig, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'ory-webhook-request-id': requestId }
  if (hook.apiKey?.in === 'header') headers[hook.apiKey.name.toLowerCase()] = hook.apiKey.value
  if (hook.apiKey?.in === 'cookie') headers.cookie = `${hook.apiKey.name}=${hook.apiKey.value}`
  return headers
}

/**
 * Calls the after-registration web hook once the identity is saved, as Kratos does with
 * `response.parse: false`: retried on network errors, 429 and 5xx, then a failure becomes the
 * registration's answer (502 for a 4xx, 504 for a timeout, otherwise a generic 500) unless the
 * hook ignores its response, in which case Kratos only logs a warning.
 * The body mirrors ory/kratos/registration-webhook.jsonnet; it is built here in TypeScript
 * rather than by evaluating the Jsonnet template.
 */
export async function callRegistrationWebHook(
  hook: WebHookConfig,
  context: { identityId: string; email: unknown; flowId: string },
  deps: KratosDeps,
): Promise<KratosError | undefined> {
  const body = JSON.stringify({ identityId: context.identityId, email: context.email, flowId: context.flowId })
  const target = `${hook.method} ${hook.url}`
  const logFailure = (fields: object) =>
    hook.ignoreResponse
      ? deps.logger.warn(fields, 'Webhook request failed but the error was ignored because the configuration indicated that the upstream response should be ignored')
      : deps.logger.error(fields, 'Webhook request failed')
  let cause = ''
  let timedOut = false
  const requestId = randomUUID()
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    if (attempt > 0) await sleep(deps.webhookRetryWaitMs * 2 ** (attempt - 1))
    try {
      const response = await fetch(hook.url, {
        method: hook.method,
        headers: headersFor(hook, requestId),
        body,
        signal: AbortSignal.timeout(deps.webhookTimeoutMs),
      })
      await response.arrayBuffer()
      if (response.status < 400) return undefined
      if (!retryable(response.status)) {
        logFailure({ url: hook.url, status: response.status })
        return kratosError(502, {
          reason: 'A third-party upstream service responded improperly. Please try again later.',
          message: `webhook failed with status code ${response.status}`,
        })
      }
      cause = ''
      timedOut = false
    } catch (error) {
      timedOut = error instanceof Error && error.name === 'TimeoutError'
      cause = `: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`
    }
  }
  const message = `${target} giving up after ${maxRetries + 1} attempt(s)${cause}`
  logFailure({ url: hook.url })
  return timedOut
    ? kratosError(504, { reason: 'A third-party upstream service could not be reached. Please try again later.', message })
    : kratosError(500, { message })
}
