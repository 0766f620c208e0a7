import { z } from 'zod'

const flow = z.object({ ui: z.object({ action: z.string() }) })
const signedIn = z.object({ session_token: z.string() })

/**
 * Signs in through Kratos's native login flow on the gateway; resolves to the new session token, or to the
 * HTTP status when Kratos refuses.
 * @example const token = await signIn(url, 'ann@example.com', 'a long enough password')
 */
export async function signIn(baseUrl: string, identifier: string, password: string): Promise<string | number> {
  const { ui } = flow.parse(await (await fetch(`${baseUrl}/.ory/self-service/login/api`)).json())
  const res = await fetch(ui.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: 'password', identifier, password }),
  })
  return res.ok ? signedIn.parse(await res.json()).session_token : res.status
}
