// The odd inputs the fuzzer draws from. Path and query values are raw (already percent-encoded where a
// client must encode them): Node's client refuses unescaped non-ASCII in a path, so those go encoded.

const enc = encodeURIComponent

/** Replacements for one path segment, usually an id. */
export const oddSegments: readonly string[] = [
  '', '.', '..', '%2e%2e', '..%2f..%2fusers%2fme', '%2e%2e%2f%2e%2e%2f', '%00', 'a%00b', '%ff%fe', '%', '%zz', '%c0%ae',
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '__defineGetter__',
  'x'.repeat(129), 'x'.repeat(4000), '9'.repeat(400),
  enc('🎫'), enc('\u202eevil\u202c'), enc('\u2066x\u2069'), enc('ü'), enc('\ufeff'), '%ed%a0%bc', enc(' '), '%20', '+',
  'null', 'undefined', 'NaN', '-1', '0', '1e309', '0x10', 'true',
  enc("' OR '1'='1"), enc('{"$gt":""}'), '$where', enc('<script>alert(1)</script>'), 'a;b=c', 'a%2Fb', '%5B%5D', '%7Bid%7D',
  '*', '~', 'a,b', '..;', '%252e%252e',
  // Decoded twice, these climb out of /api/<service>/ to the routes only the Dapr sidecar may call.
  '..%5C..%5Cdapr%5Csubscribe', '%252e%252e/%252e%252e/dapr/subscribe', '..%5C..%5Chealthz',
]

/** Values for a query parameter. */
export const oddQueryValues: readonly string[] = [
  '', 'abc', '-1', '0', '1.5', '1e999', '-1e999', '99999999999999999999999', 'NaN', 'Infinity', '0x1f', 'true', 'null',
  '[]', '{}', '%00', '%', '%zz', '%ff', enc('\u202e'), enc('🎫'), enc('\u0000x'), 'x'.repeat(121), 'x'.repeat(201),
  'x'.repeat(5000), '__proto__', enc('{"$ne":null}'), enc('%'), '+', '%2B', enc("'--"), '.*', enc('(a+)+$'), enc('\\'),
  enc(Buffer.from('{"createdAt":{"$gt":""},"id":1}').toString('base64url')), enc(Buffer.from('[]').toString('base64url')),
  enc(Buffer.from('null').toString('base64url')), enc(Buffer.from('not json').toString('base64url')), 'AAAA', '====',
]

/** Whole query-string parts that are odd in their keys rather than their values. */
export const oddQueryKeys: readonly string[] = [
  '__proto__[polluted]=yes', '__proto__=yes', 'constructor[prototype][polluted]=yes', '__proto__.polluted=yes',
  'constructor.prototype.polluted=yes', '=x', '&&&', '=', 'a[]=1&a[]=2', '%00=1', enc('\u202e') + '=1', 'x'.repeat(3000) + '=1',
  'hasOwnProperty=1', 'toString=1', 'valueOf=x',
]

/** Strings for JSON and form fields: control, bidi and other characters a title should not carry, and more. */
export const oddStrings: readonly string[] = [
  '', ' ', '\u0000', 'ab\u0000cd', 'Radiohead \u202eevil', '\u2066isolate\u2069', '\u200b\u200b\u200b', '\ufeffBOM',
  '\ud800', 'a\udc00b', '🎫🎫🎫', 'e\u0301', '\r\n\r\nX-Injected: 1', '\t\t', '<script>alert(1)</script>', '{{7*7}}',
  '${process.env}', "'; DROP TABLE tickets; --", '$gt', '__proto__', '%00', '../../etc/passwd', 'ü'.repeat(200),
]

/** JSON values of the wrong type for any field. */
export const oddJsonValues: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, '', 'x', '100', [], ['a'], [1, 2], {}, { $gt: '' }, { constructor: { prototype: { polluted: 'yes' } } },
  [[[[]]]], { a: { b: { c: {} } } },
]

/** Raw number texts JSON.stringify cannot write. */
export const oddNumberTexts: readonly string[] = ['1e400', '-1e400', '-0', '1.0', '9007199254740993', '1E2', '0.0000001', '100.000000000000001']

/** Bodies that are not JSON, or not quite. */
export const invalidJsonTexts: readonly string[] = [
  '{', '}', '{"title":', '{title:"x"}', "{'title':'x'}", '[1,]', '{"a":1,}', 'NaN', 'undefined', '\ufeff{}', '{"a":1}{"b":2}',
  '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":1', '"unterminated', '\u0000', '{"a":\u0000}', '<xml/>', 'null null', '{"a":01}',
  '{"__proto__":', '[', ']'.repeat(50), '{"a":+1}', '{"a":.5}', '{"a":Infinity}', "{\"a\":'x'}",
]

/** Content types a JSON body is sent with. */
export const oddContentTypes: readonly string[] = [
  'text/plain', 'application/xml', 'application/json; charset=utf-16', 'application/json;', 'APPLICATION/JSON',
  'application/vnd.api+json', 'application/merge-patch+json', 'application/json-patch+json', 'application/jsonx',
  'multipart/form-data', 'multipart/form-data; boundary=', 'application/x-www-form-urlencoded', 'application/octet-stream',
  '*/*', 'application/json, text/plain', 'application/json; charset=latin1', 'text/json', ';',
]

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep. */
export const deepJson = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
