import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKratos, type RunningKratos } from '../src/kratos'
import { browser, csrfOf, type ErrorJson, type FlowJson } from './kratos-test-kit'

describe('Kratos stand-in: flow lifecycle', () => {
  let kratos: RunningKratos
  let offsetMs = 0
  // Flows live an hour (kratos.yml); moving the clock past that expires the flows made so far.
  const expireFlows = () => (offsetMs += 61 * 60_000)
  beforeAll(async () => {
    kratos = await startKratos({ now: () => new Date(Date.now() + offsetMs) })
  })
  afterAll(() => kratos.close())

  it('when an expired flow is submitted, then Kratos answers 410 self_service_flow_expired pointing at a new flow', async () => {
    const b = browser(kratos)
    const flow = (await (await b.get('/self-service/login/browser')).json()) as FlowJson
    expireFlows()
    const response = await b.post(flow.ui.action, { method: 'password', identifier: 'a@b.co', password: 'x', csrf_token: csrfOf(flow) })
    const body = (await response.json()) as ErrorJson

    expect(response.status).toBe(410)
    expect(body.error).toMatchObject({ id: 'self_service_flow_expired', code: 410, status: 'Gone', message: 'self-service flow expired' })
    expect(body.use_flow_id).not.toBe(flow.id)
    const replacement = (await (await b.get(`/self-service/login/flows?id=${body.use_flow_id}`)).json()) as FlowJson
    expect(replacement.ui.messages?.[0]).toMatchObject({ id: 4010001, type: 'error' })
  })

  it('when an expired flow is fetched, then it answers 410 and an unknown id answers 404', async () => {
    const flow = (await (await fetch(`${kratos.url}/self-service/registration/api`)).json()) as FlowJson
    expireFlows()
    const expired = await fetch(`${kratos.url}/self-service/registration/flows?id=${flow.id}`)
    const unknown = await fetch(`${kratos.url}/self-service/registration/flows?id=00000000-0000-0000-0000-000000000000`)

    expect(expired.status).toBe(410)
    expect(((await expired.json()) as ErrorJson).error.id).toBe('self_service_flow_expired')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: { code: 404, status: 'Not Found', message: 'Unable to locate the resource' } })
  })
})
