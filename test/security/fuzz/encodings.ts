/** A request body and the headers that describe it. */
export type Body = { body?: string | Buffer; headers: Record<string, string> }

export type Fields = Array<readonly [string, string]>

export const jsonBody = (text: string, contentType = 'application/json'): Body => ({ body: text, headers: { 'content-type': contentType } })

/**
 * `{traits: {email: "a"}}` as Kratos's form fields (`traits.email=a`); arrays repeat their key.
 * @example flatten({ a: { b: 1 }, c: [1, 2] }) // [['a.b', '1'], ['c', '1'], ['c', '2']]
 */
export function flatten(value: unknown, prefix = ''): Fields {
  if (Array.isArray(value)) return value.flatMap((item) => flatten(item, prefix))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => flatten(item, prefix ? `${prefix}.${key}` : key))
  }
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  return [[prefix, scalar ? String(value) : '']]
}

export const formBody = (fields: Fields): Body => ({
  body: new URLSearchParams(fields.map(([k, v]) => [k, v])).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
})

const boundary = 'fuzz-boundary-7d1f'

export const multipartBody = (fields: Fields): Body => ({
  body:
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
    `--${boundary}--\r\n`,
  headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
})

const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
const multipartType = { 'content-type': `multipart/form-data; boundary=${boundary}` }

/** Multipart bodies a parser may choke on (issue 8 item 8: one of these was a 500 from a Kratos submit). */
export const malformedMultiparts: readonly Body[] = [
  { body: part('a', '1'), headers: multipartType },
  { body: `--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--other--\r\n`, headers: multipartType },
  { body: `--${boundary}\r\n\r\nno disposition\r\n--${boundary}--\r\n`, headers: multipartType },
  { body: `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--${boundary}--\r\n`, headers: multipartType },
  { body: `--${boundary}\r\nthis is no header\r\n\r\nx\r\n--${boundary}--\r\n`, headers: multipartType },
  { body: 'hello, not multipart', headers: multipartType },
  { body: '', headers: multipartType },
  { body: `--${boundary}\nContent-Disposition: form-data; name="a"\n\n1\n--${boundary}--\n`, headers: multipartType },
  { body: part('a', '1') + `--${boundary}--\r\n`, headers: { 'content-type': 'multipart/form-data' } },
  { body: part('a', '1') + `--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${'b'.repeat(200)}` } },
  { body: part('a', '1') + `--${boundary}--\r\n`, headers: { 'content-type': 'multipart/form-data; boundary="unterminated' } },
  {
    body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001\u00ff\r\n--${boundary}--\r\n`,
    headers: multipartType,
  },
  { body: part('__proto__', 'x') + part('constructor', 'y') + `--${boundary}--\r\n`, headers: multipartType },
  { body: part('a"; name="b', '1') + `--${boundary}--\r\n`, headers: multipartType },
  { body: `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\n\r\nx\r\n--inner--\r\n\r\n--${boundary}--\r\n`, headers: multipartType },
  { body: part('a', 'x'.repeat(70_000)) + `--${boundary}--\r\n`, headers: multipartType },
]
