import { describe, expect, it } from 'vitest'
import { describeWithHelm } from '../../k8s/test/support/helm'
import { find, type KubeObject } from '../../k8s/test/support/kube'
import { loadConfig } from '../../services/tickets/src/config'

// Item 7 of issue 8: which origins may write with the session cookie is configuration, from the chart to each service.
const publicServices = ['auth', 'orders', 'payments', 'tickets']
const allowedOriginsOf = (objects: KubeObject[], name: string) =>
  find(objects, 'Deployment', name).spec.template.spec.containers[0].env?.find((e) => e.name === 'ALLOWED_ORIGINS')?.value

describeWithHelm('ALLOWED_ORIGINS in the chart', (helm) => {
  it('when the ingress answers one host, then every service that reads the session cookie allows http://<host>, and expiration gets none', () => {
    const objects = helm.template(['k8s/values-kind.yaml'])
    expect(publicServices.map((name) => allowedOriginsOf(objects, name))).toEqual(publicServices.map(() => 'http://localhost'))
    expect(allowedOriginsOf(objects, 'expiration')).toBeUndefined()
  })

  it('when ingress.allowedOrigins is set, then it wins over the host', () => {
    const objects = helm.template(['k8s/values-kind.yaml'], ['ingress.allowedOrigins={https://tickets.example,https://www.tickets.example}'])
    expect(allowedOriginsOf(objects, 'tickets')).toBe('https://tickets.example,https://www.tickets.example')
  })

  it('when the ingress answers any host, then no origin is set and the services compare with the forwarded host', () => {
    expect(allowedOriginsOf(helm.template(), 'orders')).toBeUndefined()
  })
})

describe('ALLOWED_ORIGINS in a service configuration', () => {
  const required = { PORT: '3000', KRATOS_PUBLIC_URL: 'http://kratos', KETO_READ_URL: 'http://keto:4466', KETO_WRITE_URL: 'http://keto:4467' }

  it('when the chart passes a list, then the service reads it as origins', () => {
    expect(loadConfig({ ...required, ALLOWED_ORIGINS: 'https://tickets.example,https://www.tickets.example' }).ALLOWED_ORIGINS).toEqual([
      'https://tickets.example',
      'https://www.tickets.example',
    ])
  })

  it('when an entry has a path, then start-up fails naming the variable', () => {
    expect(() => loadConfig({ ...required, ALLOWED_ORIGINS: 'https://tickets.example/app' })).toThrow(/ALLOWED_ORIGINS/)
  })
})
