import type { LocalStack } from '../../../dev/src/stack'
import { client, json, listTicket, reserve, signUp, type Payment, type Person } from '../../system/support'
import type { ApiContext, Caller } from './api-cases'
import type { FlowKind, KratosContext, KratosFlow } from './kratos-cases'
import { routesOf, type Route } from './openapi'

export const password = 'a long enough password'
const services = ['tickets', 'orders', 'payments', 'users'] as const

// Not in the payments document (Stripe calls it, no client of ours), but a route anyone can reach.
const stripeWebhook: Route = { service: 'payments', method: 'POST', template: '/api/payments/webhooks/stripe', params: [], body: { properties: {}, required: [] } }

/** Every route of every service's OpenAPI document, as the gateway serves the documents. */
export async function loadRoutes(stack: LocalStack): Promise<Route[]> {
  const routes = (
    await Promise.all(
      services.map(async (service) => {
        const res = await fetch(`${stack.url}/api/${service}/openapi.json`)
        if (res.status !== 200) throw new Error(`the ${service} document answered ${res.status}`)
        return routesOf(service, await res.json())
      }),
    )
  ).flat()
  const known = routes.some((r) => r.method === stripeWebhook.method && r.template === stripeWebhook.template)
  return known ? routes : [...routes, stripeWebhook]
}

const cookiePairs = (res: Response) => res.headers.getSetCookie().map((line) => line.split(';')[0] ?? '')

type FlowJson = { id: string; ui: { nodes: Array<{ attributes: { name?: string; value?: unknown } }> } }

async function fetchFlow(stack: LocalStack, kind: FlowKind, type: 'browser' | 'api'): Promise<KratosFlow> {
  const res = await fetch(`${stack.url}/.ory/self-service/${kind}/${type}`, { headers: { accept: 'application/json' }, redirect: 'manual' })
  if (res.status !== 200) throw new Error(`starting a ${type} ${kind} flow answered ${res.status}`)
  const flow = await json<FlowJson>(res)
  const csrf = flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value
  return { kind, type, id: flow.id, csrfToken: typeof csrf === 'string' ? csrf : '', cookie: cookiePairs(res).join('; ') }
}

/** Signs `person` in through a browser flow, as the web app does, and answers their session cookie. */
async function sessionCookieOf(stack: LocalStack, person: Person): Promise<string> {
  const flow = await fetchFlow(stack, 'login', 'browser')
  const res = await fetch(`${stack.url}/.ory/self-service/login?flow=${flow.id}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie: flow.cookie, origin: stack.url },
    body: JSON.stringify({ method: 'password', identifier: person.email, password, csrf_token: flow.csrfToken }),
  })
  const session = cookiePairs(res).find((pair) => pair.startsWith('ory_kratos_session='))
  if (!session) throw new Error(`the browser login answered ${res.status} without a session cookie`)
  return session
}

/**
 * Real people and ids for the fuzzer to aim at: a seller with two tickets, a buyer who paid for one and
 * holds the other, the buyer's browser session, and fresh login and registration flows of both kinds.
 */
export async function prepare(stack: LocalStack): Promise<{ api: ApiContext; kratos: KratosContext }> {
  const seller = await signUp(stack, 'fuzz-seller')
  const buyer = await signUp(stack, 'fuzz-buyer')
  const paid = await listTicket(stack, seller, { title: 'Fuzzed and paid', price: 5000 })
  const held = await listTicket(stack, seller, { title: 'Fuzzed and held', price: 6000 })
  const paidOrder = await reserve(stack, buyer, paid.id)
  const heldOrder = await reserve(stack, buyer, held.id)
  const payment = await client(stack)<Payment>('/api/payments', { method: 'POST', as: buyer, body: { orderId: paidOrder.body.id, paymentMethod: 'pm_card_visa' } })
  if (payment.status !== 201) throw new Error(`paying answered ${payment.status}`)
  const cookie = await sessionCookieOf(stack, buyer)
  const callers: Caller[] = [
    { name: 'anonymous', headers: {} },
    { name: 'buyer token', headers: { 'x-session-token': buyer.token } },
    { name: 'seller token', headers: { 'x-session-token': seller.token } },
    { name: 'buyer bearer', headers: { authorization: `Bearer ${buyer.token}` } },
    { name: 'buyer cookie', headers: { cookie, origin: stack.url } },
    { name: 'buyer cookie, no origin', headers: { cookie } },
  ]
  const tokens = [buyer.token, seller.token]
  const kinds = ['login', 'registration'] as const
  const types = ['browser', 'api'] as const
  const flows = await Promise.all(kinds.flatMap((kind) => types.flatMap((type) => [fetchFlow(stack, kind, type), fetchFlow(stack, kind, type)])))
  return {
    api: {
      ids: { tickets: [paid.id, held.id], orders: [paidOrder.body.id, heldOrder.body.id], payments: [payment.body.id], users: [buyer.id, seller.id] },
      callers,
      tokens,
      cookie,
      origin: stack.url,
    },
    kratos: { flows, email: buyer.email, password, tokens, cookie, origin: stack.url },
  }
}
