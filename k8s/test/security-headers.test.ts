import { beforeAll, describe, expect, it } from 'vitest'
import { createGateway, defaultLimits, securityHeaders } from '../../dev/src/gateway'
import { describeWithHelm } from './support/helm'
import { find, ofKind, type KubeObject } from './support/kube'
import { readText, readYaml } from './support/repo'

// Issue 8, item 5: one set of security headers, written by the gateway of `npm start`
// (dev/src/gateway/security-headers.ts), the web image's nginx and the chart's ingress alike.
const lowerKeys = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))

/** The add_header lines of the nginx server block, and any add_header inside a location (which would drop them). */
function nginxHeaders(conf: string): { server: Record<string, string>; inLocations: string[] } {
  const server: Record<string, string> = {}
  const inLocations: string[] = []
  let depth = 0
  for (const line of conf.split('\n').map((l) => l.replace(/#.*/, '').trim())) {
    const header = /^add_header\s+([\w-]+)\s+"([^"]*)"\s+always;$/.exec(line)
    if (/^add_header\b/.test(line) && depth > 1) inLocations.push(line)
    else if (header && depth === 1) server[header[1]!.toLowerCase()] = header[2]!
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length
  }
  return { server, inLocations }
}

/** ingress-nginx's custom-headers check (internal/ingress/annotations/customheaders): anything else is refused. */
const ingressNginxAccepts = (name: string, value: string) =>
  /^[a-zA-Z\d\-_]+$/.test(name) && /^[a-zA-Z\d_ :;.,\\/"'?!(){}[\]@<>=\-+*#$&`|~^%]+$/.test(value)

type IngressNginxValues = { controller: { config: Record<string, string> } }

describe('the security headers of the gateway', () => {
  let expected: Record<string, string>

  beforeAll(async () => {
    expected = lowerKeys(await securityHeaders())
  })

  it('when the set is read, then it holds CSP, nosniff, DENY framing and a Referrer-Policy', () => {
    expect(Object.keys(expected).sort()).toEqual([
      'content-security-policy',
      'cross-origin-opener-policy',
      'referrer-policy',
      'x-content-type-options',
      'x-frame-options',
    ])
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'")
  })

  it('when the gateway answers, then it sends exactly that set', async () => {
    const res = await createGateway({ services: {}, kratosUrl: 'http://127.0.0.1:9' }).request('/api/nothing')

    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]))).toEqual(expected)
  })

  it('when the web image\'s nginx.conf is read, then its server block adds the same set on every answer, and no location drops it', () => {
    const { server, inLocations } = nginxHeaders(readText('k8s/image/nginx.conf'))

    expect(inLocations).toEqual([])
    expect(server).toEqual(expected)
  })

  it('when the chart\'s values are read, then ingress.securityHeaders is the same set, in values ingress-nginx accepts', () => {
    const headers = (readYaml('k8s/chart/values.yaml') as { ingress: { securityHeaders: Record<string, string> } }).ingress.securityHeaders

    expect(lowerKeys(headers)).toEqual(expected)
    expect(Object.entries(headers).filter(([name, value]) => !ingressNginxAccepts(name, value))).toEqual([])
  })

  it('when ingress-nginx is installed, then it allows exactly those response headers and answers rate limits with 429', () => {
    const { config } = (readYaml('k8s/values/ingress-nginx.yaml') as IngressNginxValues).controller
    const headers = (readYaml('k8s/chart/values.yaml') as { ingress: { securityHeaders: Record<string, string> } }).ingress.securityHeaders

    expect(config['global-allowed-response-headers']?.split(',').map((h) => h.trim()).sort()).toEqual(Object.keys(headers).sort())
    expect(config['limit-req-status-code']).toBe('429')
  })
})

describeWithHelm('the chart\'s ingress at the edge', (helm) => {
  let objects: KubeObject[]
  let expected: Record<string, string>
  const annotation = (name: string) => `nginx.ingress.kubernetes.io/${name}`

  beforeAll(async () => {
    objects = helm.template()
    expected = lowerKeys(await securityHeaders())
  })

  it('when rendered, then both Ingresses send the security headers from one ConfigMap of the release\'s namespace', () => {
    const configMap = find(objects, 'ConfigMap', 'ticketing-security-headers')
    const ingresses = ofKind(objects, 'Ingress')

    expect(lowerKeys(configMap.data)).toEqual(expected)
    expect(ingresses.map((i) => [i.metadata.name, i.metadata.annotations?.[annotation('custom-headers')]])).toEqual([
      ['ticketing', 'ticketing/ticketing-security-headers'],
      ['ticketing-ory', 'ticketing/ticketing-security-headers'],
    ])
  })

  it('when rendered, then both Ingresses refuse bodies over the gateway\'s 1 MiB', () => {
    const sizes = ofKind(objects, 'Ingress').map((i) => i.metadata.annotations?.[annotation('proxy-body-size')])

    expect(sizes).toEqual(['1m', '1m'])
    expect(defaultLimits.maxBodyBytes).toBe(1024 * 1024)
  })

  it('when rendered, then each client is rate-limited, Kratos\'s flows more tightly than the rest', () => {
    const limits = Object.fromEntries(
      ofKind(objects, 'Ingress').map((i) => [i.metadata.name, [i.metadata.annotations?.[annotation('limit-rps')], i.metadata.annotations?.[annotation('limit-burst-multiplier')]]]),
    )

    expect(limits).toEqual({ ticketing: ['20', '5'], 'ticketing-ory': ['5', '5'] })
  })
})
