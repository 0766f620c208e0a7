/**
 * Registers a person through Kratos's native (API) registration flow over HTTP and returns the
 * session token the `session` hook issues. Works against the stand-in or a real Kratos.
 * @example const { sessionToken } = await signUpNative('http://127.0.0.1:8080/.ory', 'a@example.com', 'correct horse')
 */
export async function signUpNative(
  kratosPublicUrl: string,
  email: string,
  password: string,
): Promise<{ sessionToken: string; identityId: string }> {
  const base = kratosPublicUrl.replace(/\/+$/, '')
  const init = await fetch(`${base}/self-service/registration/api`, { headers: { accept: 'application/json' } })
  if (!init.ok) throw new Error(`registration flow failed to start: ${init.status} ${await init.text()}`)
  const flow = (await init.json()) as { ui: { action: string } }
  const submit = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ method: 'password', traits: { email }, password }),
  })
  const body = (await submit.json()) as { session_token?: string; identity?: { id: string } }
  if (!submit.ok || !body.session_token || !body.identity) {
    throw new Error(`registration failed: ${submit.status} ${JSON.stringify(body)}`)
  }
  return { sessionToken: body.session_token, identityId: body.identity.id }
}
