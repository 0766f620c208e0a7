import type { Rng } from './prng'

/** What oddHeaders needs to garble real credentials. */
type Credentials = { tokens: string[]; cookie: string; origin: string }

/**
 * Headers a client gets wrong: bad or garbled sessions and cookies, cross-site origins, odd negotiation
 * and tracing headers. Only values Node's own client sends: it refuses control characters and anything
 * beyond Latin-1 in a header, and so does every server in front of ours.
 */
export function oddHeaders(rng: Rng, { tokens, cookie, origin }: Credentials): Record<string, string> {
  const token = rng.pick(tokens)
  const choices: Array<() => Record<string, string>> = [
    () => ({ 'x-session-token': rng.pick(['garbage', '', ' ', 'x'.repeat(6000), `${token}x`, token.slice(0, -1), token.toUpperCase(), 'ory_st_', '%00', 'null']) }),
    () => ({ authorization: rng.pick(['Bearer', 'Bearer ', 'Bearer garbage', `Bearer ${token}x`, 'Basic YTpi', 'Basic', 'bearer  ', `Token ${token}`, 'Bearer \t', 'x'.repeat(6000)]) }),
    () => ({ 'x-session-token': token, authorization: 'Bearer garbage' }),
    () => ({ 'x-session-token': 'garbage', cookie }),
    () => ({
      cookie: rng.pick([
        'ory_kratos_session=garbage', 'ory_kratos_session=', 'ory_kratos_session=%', 'ory_kratos_session=%zz', '=;;;=', ';', 'a=b; a=c',
        'ory_kratos_session="quoted"', `ory_kratos_session=${'x'.repeat(6000)}`, '__proto__=x', 'constructor=x; prototype=y',
        `${cookie}; ${cookie}x`, `${cookie}x`, 'ory_kratos_session=a=b=c', `${cookie.replace('=', '=%')}`,
      ]),
    }),
    () => ({ cookie, origin: rng.pick(['http://evil.example', 'null', '', `${origin}.evil.example`, origin.replace('http', 'https'), 'file://', origin]) }),
    () => ({ cookie, 'sec-fetch-site': rng.pick(['cross-site', 'same-site', 'same-origin', 'none', 'garbage', '']) }),
    () => ({ cookie, origin: 'http://evil.example', 'x-session-token': 'garbage' }),
    () => ({ accept: rng.pick(['application/xml', '*/*;q=abc', 'text/html', '', 'application/json;q=0', 'x'.repeat(3000), ',,,', 'application/problem+json']) }),
    () => ({ traceparent: rng.pick(['garbage', '00-' + '0'.repeat(32) + '-' + '0'.repeat(16) + '-01', '99-x-y-z', '00-zz-zz-zz', '']) }),
    () => ({ tracestate: 'a'.repeat(600), baggage: '%%%,=,;' }),
    () => ({ 'x-request-id': rng.pick(['', 'x'.repeat(5000), '../../etc', '\u00ff\u00fe', 'a b c']) }),
    () => ({ 'x-forwarded-host': rng.pick(['evil.example', '', 'a b', '[::1', '127.0.0.1:99999']), 'x-forwarded-proto': rng.pick(['gopher', 'https', '', 'javascript']) }),
    () => ({ host: rng.pick(['evil.example', '[::1]', 'localhost:1', 'xn--', 'a_b']) }),
    () => ({ 'content-encoding': rng.pick(['gzip', 'br', 'deflate', 'identity', 'x']) }),
    () => ({ 'accept-encoding': rng.pick(['gzip', 'br', '*', 'x;q=2']), range: rng.pick(['bytes=0-1', 'bytes=9999999-', 'lines=1', 'bytes=-']) }),
    () => ({ 'if-none-match': '*', 'if-modified-since': 'not a date', 'accept-language': '\u00e9\u00e9;q=x' }),
    () => ({ 'x-kratos-authenticated-identity-id': 'someone-else', 'x-user-id': 'someone-else', 'x-forwarded-for': '10.0.0.1, garbage' }),
  ]
  return rng.pick(choices)()
}
