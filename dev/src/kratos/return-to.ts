import { errors, kratosError } from './errors'

/** An entry of `selfservice.allowed_return_urls`, in the parts Kratos compares. */
export interface AllowedReturnUrl {
  protocol: string
  /** Lower-case host with port; `*.example.com` matches every subdomain. */
  host: string
  path: string
}

const toAllowed = (url: URL): AllowedReturnUrl => ({ protocol: url.protocol, host: url.host, path: url.pathname })

/**
 * Kratos's SelfServiceBrowserAllowedReturnToDomains: relative entries can never match (they have no
 * scheme), and wildcards other than `*.<domain>` are dropped, as Kratos v26 drops unsafe ones.
 */
export function parseAllowedReturnUrls(entries: readonly string[]): AllowedReturnUrl[] {
  return entries.flatMap((entry) => {
    if (!URL.canParse(entry)) return []
    const allowed = toAllowed(new URL(entry))
    const wildcard = allowed.host.startsWith('*')
    return wildcard && !/^\*\.[^*]+\.[^*]+$/.test(allowed.host) ? [] : [allowed]
  })
}

const hostAllowed = (host: string, allowed: string) => (allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed)

interface ReturnToPolicy {
  /** Where to go when no return_to was asked for; relative values are resolved against publicBaseUrl. */
  defaultUrl: string
  allowed: readonly AllowedReturnUrl[]
  /** The stand-in's public base URL: its own /self-service URLs are always allowed. */
  publicBaseUrl: string
}

/**
 * Kratos's SecureRedirectTo: the requested return_to (host and scheme taken from the default when
 * missing) if an allowed URL has its scheme, its host and a prefix of its path, else the default.
 * Throws the 400 KratosError `self_service_flow_return_to_forbidden` for any other URL.
 * The answer is the parsed URL, never the raw text, so what is checked is what the browser is sent to.
 */
export function secureReturnTo(requested: string | undefined, policy: ReturnToPolicy): string {
  const fallback = new URL(policy.defaultUrl, `${policy.publicBaseUrl}/`)
  if (!requested) return fallback.href
  if (!URL.canParse(requested, fallback)) {
    throw errors.badRequest('Unable to parse the return_to query parameter as an URL.')
  }
  const url = new URL(requested, fallback)
  const candidates = [...policy.allowed, toAllowed(new URL(`${policy.publicBaseUrl}/self-service`))]
  const ok = candidates.some(
    (allowed) => allowed.protocol === url.protocol && hostAllowed(url.host, allowed.host) && url.pathname.startsWith(allowed.path),
  )
  if (ok) return url.href
  throw kratosError(400, {
    id: 'self_service_flow_return_to_forbidden',
    reason: `Requested return_to URL ${JSON.stringify(url.href)} is not allowed.`,
    message: 'The request was malformed or contained invalid parameters',
  })
}
