import { Configuration, FrontendApi } from '@ory/client-fetch'

/**
 * Kratos's public API under the app's own origin (`/.ory/`), so its session and CSRF cookies are first-party.
 * Asking for JSON makes Kratos answer browser flows with data instead of redirects.
 */
export function createKratos(): FrontendApi {
  return new FrontendApi(
    new Configuration({ basePath: `${location.origin}/.ory`, credentials: 'include', headers: { Accept: 'application/json' } }),
  )
}
