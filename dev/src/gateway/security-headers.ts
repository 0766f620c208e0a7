import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/**
 * The security headers of the app's origin, as hono's `secureHeaders` takes them. The one source of truth:
 * k8s/image/nginx.conf and the chart's `ingress.securityHeaders` must send the same (k8s/test/security-headers.test.ts).
 */
export const secureHeadersOptions = {
  // The built app is script and style files of its own origin (no inline code, no eval), so nothing else is allowed.
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xContentTypeOptions: 'nosniff',
  xFrameOptions: 'DENY',
  // Not no-referrer: with it, browsers send "Origin: null" on the app's own POSTs, which an Origin check refuses.
  referrerPolicy: 'strict-origin-when-cross-origin',
  crossOriginOpenerPolicy: 'same-origin',
  // hono's other defaults stay off: legacy headers, and HSTS belongs where TLS ends (ingress-nginx sets it there).
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} satisfies Parameters<typeof secureHeaders>[0]

/**
 * The headers exactly as the gateway writes them, name → value.
 * @example const headers = await securityHeaders() // { 'content-security-policy': "default-src 'self'; …", … }
 */
export async function securityHeaders(): Promise<Record<string, string>> {
  const bare = new Hono().use(secureHeaders(secureHeadersOptions)).get('/', (c) => c.body(null, 204))
  const res = await bare.request('/')
  const headers: Record<string, string> = {}
  res.headers.forEach((value, name) => (headers[name] = value))
  return headers
}
