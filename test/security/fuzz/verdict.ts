import type { Answer, FuzzRequest } from './http'

/** The one 5xx the marketplace documents: Stripe's deliveries wait while no web-hook secret is set. */
const webhookPath = '/api/payments/webhooks/stripe'

const leaks: ReadonlyArray<readonly [string, RegExp]> = [
  ['a stack trace', /^ {4}at /m],
  ['a stack frame', /\bat [^\s()]+ \([^)]*:\d+:\d+\)/],
  ['a path under /work', /\/work\//],
  ['a node_modules path', /node_modules/],
  ['a file URL', /file:\/\/\//],
  // Only the sidecar may call /dapr/subscribe (and /events/*): seen through the gateway, a path got out of /api/<service>/.
  ['the Dapr subscription list', /"pubsubname"/],
]

const pathOf = (req: FuzzRequest) => new URL(req.path, 'http://gateway').pathname

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isDocumented503(req: FuzzRequest, path: string, answer: Answer): boolean {
  if (req.method !== 'POST' || path !== webhookPath || answer.status !== 503) return false
  const body = parse(answer.body)
  return typeof body === 'object' && body !== null && 'code' in body && body.code === 'webhook-not-configured'
}

/** Why the answer to a request under /api/ is not the problem document its status needs, if it is not. */
function problemDocumentFault(answer: Answer): string | undefined {
  const type = answer.headers['content-type'] ?? ''
  if (!type.startsWith('application/problem+json')) return `Content-Type is "${type}", not application/problem+json`
  const body = parse(answer.body)
  if (!body || typeof body !== 'object') return 'the body is not a JSON object'
  const { status, code } = body as { status?: unknown; code?: unknown }
  if (status !== answer.status) return `the problem's status is ${JSON.stringify(status)}, not ${answer.status}`
  if (typeof code !== 'string' || code === '') return 'the problem has no code'
  return undefined
}

/**
 * The rules one answer broke: a 5xx (but the documented web-hook 503), an /api/* 4xx that is no problem
 * document, a body that shows a stack trace or a path on the server.
 * @example faultsOf({ method: 'GET', path: '/api/tickets/x', headers: {} }, answer) // [] when all is well
 */
export function faultsOf(req: FuzzRequest, answer: Answer): string[] {
  const faults: string[] = []
  const path = pathOf(req)
  if (answer.status >= 500 && !isDocumented503(req, path, answer)) faults.push(`answered ${answer.status}`)
  // A HEAD answer has no body to be a problem document.
  const isApi = path.startsWith('/api/')
  if (isApi && req.method !== 'HEAD' && answer.status >= 400) {
    const fault = problemDocumentFault(answer)
    if (fault) faults.push(`a ${answer.status} from /api/ that is no problem document: ${fault}`)
  }
  for (const [what, pattern] of leaks) {
    if (pattern.test(answer.body) && !faults.includes(`the body shows ${what}`)) faults.push(`the body shows ${what}`)
  }
  return faults
}

const preview = (text: string, max: number) => {
  const flat = JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text)
  return flat.slice(1, -1)
}

/** One line that lets a reader replay the request: seed, index, method, path, body, and what came back. */
export function describeFailure(seed: string, index: number, req: FuzzRequest, outcome: Answer | Error, faults: string[]): string {
  const body = req.body === undefined ? '' : ` body="${preview(typeof req.body === 'string' ? req.body : req.body.toString('latin1'), 120)}"`
  const type = Object.entries(req.headers)
    .map(([name, value]) => ` ${name}="${preview(value, 60)}"`)
    .join('')
  const sent = `${req.method} ${preview(req.path, 200)}${type}${req.chunked ? ' (chunked)' : ''}${body}`
  const got = outcome instanceof Error ? `no answer: ${outcome.message}` : `${outcome.status} ${outcome.headers['content-type'] ?? '(no type)'} ${preview(outcome.body, 300)}`
  return `seed ${seed} #${index}: ${sent} → ${got} — ${faults.join('; ')}`
}
