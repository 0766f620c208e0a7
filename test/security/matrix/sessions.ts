import { signUpNative } from '../../../dev/src/kratos'

/** A signed-up person: the Kratos identity id, and both ways they can prove it. */
export type Person = { id: string; email: string; token: string; cookie: string }

/** How a caller proves who they are: an API client's session token, a browser's session cookie, or nothing. */
export type Credential = 'token' | 'cookie' | 'none'

export type Answer = { status: number; contentType: string; body: unknown }

const PASSWORD = 'a long enough password'
const SESSION_COOKIE = 'ory_kratos_session'
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

type Flow = { ui: { action: string; nodes: Array<{ attributes: { name?: string; value?: unknown } }> } }

/** The `name=value` pairs of a response's Set-Cookie lines, as a browser sends them back. */
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((line) => line.split(';')[0]!)

/**
 * Signs in through Kratos's browser login flow on the gateway, as the web app does (asking for JSON), and returns
 * the session cookie alone: the flow's CSRF cookie is the login form's business, not the API's.
 */
async function browserSession(gateway: string, email: string): Promise<string> {
  const start = await fetch(`${gateway}/.ory/self-service/login/browser`, { headers: { accept: 'application/json' } })
  if (start.status !== 200) throw new Error(`the browser login flow did not start: ${start.status} ${await start.text()}`)
  const csrfCookies = cookiesOf(start).join('; ')
  const flow = (await start.json()) as Flow
  const csrfToken = flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value
  const done = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', cookie: csrfCookies, origin: gateway },
    body: JSON.stringify({ method: 'password', identifier: email, password: PASSWORD, csrf_token: csrfToken }),
  })
  if (done.status !== 200) throw new Error(`the browser login failed: ${done.status} ${await done.text()}`)
  const session = cookiesOf(done).find((pair) => pair.startsWith(`${SESSION_COOKIE}=`))
  if (!session) throw new Error('the browser login set no session cookie')
  return session
}

let people = 0
/** Signs a new person up through Kratos's native flow, then signs them in again in a browser for a cookie. */
export async function signUp(gateway: string, name: string): Promise<Person> {
  const email = `${name}.${process.pid}.${++people}@example.com`
  const { sessionToken, identityId } = await signUpNative(`${gateway}/.ory`, email, PASSWORD)
  return { id: identityId, email, token: sessionToken, cookie: await browserSession(gateway, email) }
}

/**
 * The headers that carry `person`'s credential. A browser's unsafe request names the page's origin: the services
 * refuse cookie-authenticated writes from any other.
 */
export function credentialHeaders(gateway: string, method: string, person: Person | undefined, credential: Credential): Record<string, string> {
  if (credential === 'none' || !person) return {}
  if (credential === 'token') return { 'x-session-token': person.token }
  return { cookie: person.cookie, ...(SAFE.has(method) ? {} : { origin: new URL(gateway).origin }) }
}

/** One JSON request to the gateway as `person` with the given credential (or as nobody). */
export async function call(
  gateway: string,
  request: { method: string; path: string; body?: unknown },
  as: { person?: Person; credential: Credential },
): Promise<Answer> {
  const res = await fetch(`${gateway}${request.path}`, {
    method: request.method,
    headers: {
      accept: 'application/json',
      ...credentialHeaders(gateway, request.method, as.person, as.credential),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  })
  const text = await res.text()
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as unknown) : undefined }
}

/** Runs `work` over `items`, at most `limit` at a time (Keto on SQLite dislikes a crowd of writes at once). */
export async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
