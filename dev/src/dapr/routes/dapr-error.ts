import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Answers with Dapr's error body `{errorCode, message}`. */
export function daprError(c: Context, status: ContentfulStatusCode, errorCode: string, message: string): Response {
  return c.json({ errorCode, message }, status)
}

/** Reads a JSON request body, or undefined when it is not valid JSON. */
export async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await c.req.text()
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}
