import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '@ticketing/shared/testing'
import { startLocalStack, type LocalStack } from '../../dev/src/stack'
import type { Items, Order, Payment, Problem, Ticket } from '../system/support'
import { call, inBatches, signUp, type Answer, type Credential, type Person } from './matrix/sessions'

// Issue 8, "Done when": every protected action of the API, tried by the buyer, the seller, a stranger (each with
// a session token and with a browser's session cookie) and by nobody, answered as the permission model of
// ARCHITECTURE.md says. Every cell below is written from that model, not from what the services answer today.

type SignedIn = 'buyer' | 'seller' | 'stranger'
type Actor = SignedIn | 'anonymous'
type Cast = Record<SignedIn, Person>
type Request = { method: string; path: string; body?: unknown }
type User = { id: string; email: string }

/** What a cell expects: an allowed answer with the value read from its body, or a refusal's problem code. */
type Cell<F> =
  | { status: 200 | 201; value: (given: F, cast: Cast, caller: Person | undefined) => unknown }
  | { status: 401 | 403 | 404 | 409; code: string }

/** One action: what it works on, how it is asked for, and its expected answer for each actor. */
type Spec<F> = {
  action: string
  /** The operation as its service's OpenAPI document names it. */
  route: string
  /** The row's fixture: made fresh for each row whenever the action changes what it acts on. */
  given: (world: World, actor: Actor) => Promise<F> | F
  request: (given: F) => Request
  /** The value of an allowed answer's body that the cell's `value` predicts. */
  read: (body: unknown) => unknown
  cells: Record<Actor, Cell<F>>
}

type Expected = { status: number; code: string } | { status: number; read: (body: unknown) => unknown; value: unknown }
type Plan = { request: Request; caller: Person | undefined; expected: Expected }
type Row = { action: string; route: string; actor: Actor; credential: Credential; outcome: string; index: number }

type World = {
  cast: Cast
  /** A ticket of the seller's, ordered and paid by the buyer: what the read-only actions look at. */
  shared: { ticket: Ticket; order: Order; payment: Payment }
  /** Each person's own purchase and own sale (buyer buys from seller, seller from stranger, stranger from buyer). */
  purchaseOf: Record<SignedIn, Order>
  saleOf: Record<SignedIn, Order>
  freshTicket(): Promise<Ticket>
  freshOrder(): Promise<{ ticket: Ticket; order: Order }>
  /** Every order the fixtures placed, to wait for their events. */
  placed: Order[]
}

const unauthenticated = { status: 401, code: 'unauthorized' } as const
const forbidden = { status: 403, code: 'forbidden' } as const
const held = { status: 409, code: 'ticket-reserved' } as const
const NEW_PRICE = 4321

const signedIn: SignedIn[] = ['buyer', 'seller', 'stranger']
const credentialsOf = (actor: Actor): Credential[] => (actor === 'anonymous' ? ['none'] : ['token', 'cookie'])
/** Whose orders a list shows (buyer or seller, as `owner` reads them), and which. */
const ownersOf = (body: unknown, owner: (order: Order) => string) => {
  const items = (body as Items<Order>).items
  return { owners: [...new Set(items.map(owner))], ids: items.map((order) => order.id) }
}
// vitest types its asymmetric matchers `any`; as `unknown` one can stand for a value.
const including = (id: string | undefined): unknown => expect.arrayContaining([id])

const plans: Array<(world: World) => Promise<Plan>> = []

/** The rows of one action: every actor, with each credential it has; the plan of each row runs in `beforeAll`. */
function rowsOf<F>(spec: Spec<F>): Omit<Row, 'index'>[] {
  return (['buyer', 'seller', 'stranger', 'anonymous'] as const).flatMap((actor) =>
    credentialsOf(actor).map((credential) => {
      const cell = spec.cells[actor]
      plans.push(async (world) => {
        const given = await spec.given(world, actor)
        const caller = actor === 'anonymous' ? undefined : world.cast[actor]
        const expected = 'code' in cell ? cell : { status: cell.status, read: spec.read, value: cell.value(given, world.cast, caller) }
        return { request: spec.request(given), caller, expected }
      })
      const outcome = 'code' in cell ? `${cell.status} ${cell.code}` : `${cell.status}`
      return { action: spec.action, route: spec.route, actor, credential, outcome }
    }),
  )
}

const shared = (world: World) => world.shared

const matrix: Row[] = [
  rowsOf({
    action: 'list a ticket',
    route: 'POST /api/tickets',
    given: () => null,
    request: () => ({ method: 'POST', path: '/api/tickets', body: { title: 'Matrix: a new listing', price: 1500 } }),
    read: (body) => (body as Ticket).userId,
    cells: {
      buyer: { status: 201, value: (_, __, caller) => caller?.id },
      seller: { status: 201, value: (_, __, caller) => caller?.id },
      stranger: { status: 201, value: (_, __, caller) => caller?.id },
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: "edit the seller's ticket",
    route: 'PATCH /api/tickets/{id}',
    given: (world) => world.freshTicket(),
    request: (ticket) => ({ method: 'PATCH', path: `/api/tickets/${ticket.id}`, body: { price: NEW_PRICE } }),
    read: (body) => ({ id: (body as Ticket).id, userId: (body as Ticket).userId, price: (body as Ticket).price }),
    cells: {
      seller: { status: 200, value: (ticket, cast) => ({ id: ticket.id, userId: cast.seller.id, price: NEW_PRICE }) },
      buyer: forbidden,
      stranger: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'view a ticket',
    route: 'GET /api/tickets/{id}',
    given: shared,
    request: ({ ticket }) => ({ method: 'GET', path: `/api/tickets/${ticket.id}` }),
    read: (body) => ({ id: (body as Ticket).id, userId: (body as Ticket).userId }),
    cells: {
      buyer: { status: 200, value: ({ ticket }, cast) => ({ id: ticket.id, userId: cast.seller.id }) },
      seller: { status: 200, value: ({ ticket }, cast) => ({ id: ticket.id, userId: cast.seller.id }) },
      stranger: { status: 200, value: ({ ticket }, cast) => ({ id: ticket.id, userId: cast.seller.id }) },
      anonymous: { status: 200, value: ({ ticket }, cast) => ({ id: ticket.id, userId: cast.seller.id }) },
    },
  }),
  rowsOf({
    action: 'search tickets',
    route: 'GET /api/tickets',
    given: shared,
    request: ({ ticket }) => ({ method: 'GET', path: `/api/tickets?q=${encodeURIComponent(ticket.title)}` }),
    read: (body) => (body as Items<Ticket>).items.map((ticket) => ticket.id),
    cells: {
      buyer: { status: 200, value: ({ ticket }) => [ticket.id] },
      seller: { status: 200, value: ({ ticket }) => [ticket.id] },
      stranger: { status: 200, value: ({ ticket }) => [ticket.id] },
      anonymous: { status: 200, value: ({ ticket }) => [ticket.id] },
    },
  }),
  rowsOf({
    action: 'order a ticket',
    route: 'POST /api/orders',
    given: (world) => world.freshTicket(),
    request: (ticket) => ({ method: 'POST', path: '/api/orders', body: { ticketId: ticket.id } }),
    read: (body) => ({ userId: (body as Order).userId, ticketId: (body as Order).ticket.id, status: (body as Order).status }),
    cells: {
      buyer: { status: 201, value: (ticket, cast) => ({ userId: cast.buyer.id, ticketId: ticket.id, status: 'created' }) },
      stranger: { status: 201, value: (ticket, cast) => ({ userId: cast.stranger.id, ticketId: ticket.id, status: 'created' }) },
      // Owners may not order their own ticket.
      seller: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'order a ticket another order holds',
    route: 'POST /api/orders',
    given: async (world) => (await world.freshOrder()).ticket,
    request: (ticket) => ({ method: 'POST', path: '/api/orders', body: { ticketId: ticket.id } }),
    read: (body) => body,
    cells: {
      // Allowed to order, but the buyer's own order holds it.
      buyer: held,
      stranger: held,
      // The owner rule comes first: the seller learns nothing about the hold.
      seller: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'view an order',
    route: 'GET /api/orders/{id}',
    given: shared,
    request: ({ order }) => ({ method: 'GET', path: `/api/orders/${order.id}` }),
    read: (body) => ({ id: (body as Order).id, buyer: (body as Order).userId, seller: (body as Order).ticket.sellerId }),
    cells: {
      // The order's owner, and the owner of its parent ticket.
      buyer: { status: 200, value: ({ order }, cast) => ({ id: order.id, buyer: cast.buyer.id, seller: cast.seller.id }) },
      seller: { status: 200, value: ({ order }, cast) => ({ id: order.id, buyer: cast.buyer.id, seller: cast.seller.id }) },
      stranger: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'cancel an order',
    route: 'DELETE /api/orders/{id}',
    given: (world) => world.freshOrder(),
    request: ({ order }) => ({ method: 'DELETE', path: `/api/orders/${order.id}` }),
    read: (body) => ({ id: (body as Order).id, status: (body as Order).status }),
    cells: {
      // Editing an order is its owner's alone: the seller may see it, not cancel it.
      buyer: { status: 200, value: ({ order }) => ({ id: order.id, status: 'cancelled' }) },
      seller: forbidden,
      stranger: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'list my orders',
    route: 'GET /api/orders',
    given: (world, actor) => (actor === 'anonymous' ? undefined : world.purchaseOf[actor]),
    request: () => ({ method: 'GET', path: '/api/orders?limit=100' }),
    read: (body) => ownersOf(body, (order) => order.userId),
    cells: {
      // Only one's own purchases, and one's own purchase among them.
      buyer: { status: 200, value: (purchase, cast) => ({ owners: [cast.buyer.id], ids: including(purchase?.id) }) },
      seller: { status: 200, value: (purchase, cast) => ({ owners: [cast.seller.id], ids: including(purchase?.id) }) },
      stranger: { status: 200, value: (purchase, cast) => ({ owners: [cast.stranger.id], ids: including(purchase?.id) }) },
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'list my sales',
    route: 'GET /api/orders/sales',
    given: (world, actor) => (actor === 'anonymous' ? undefined : world.saleOf[actor]),
    request: () => ({ method: 'GET', path: '/api/orders/sales?limit=100' }),
    read: (body) => ownersOf(body, (order) => order.ticket.sellerId),
    cells: {
      // Only orders on one's own tickets, and one's own sale among them.
      buyer: { status: 200, value: (sale, cast) => ({ owners: [cast.buyer.id], ids: including(sale?.id) }) },
      seller: { status: 200, value: (sale, cast) => ({ owners: [cast.seller.id], ids: including(sale?.id) }) },
      stranger: { status: 200, value: (sale, cast) => ({ owners: [cast.stranger.id], ids: including(sale?.id) }) },
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'pay an order',
    route: 'POST /api/payments',
    given: (world) => world.freshOrder(),
    request: ({ order }) => ({ method: 'POST', path: '/api/payments', body: { orderId: order.id, paymentMethod: 'pm_card_visa' } }),
    read: (body) => ({ orderId: (body as Payment).orderId, userId: (body as Payment).userId }),
    cells: {
      buyer: { status: 201, value: ({ order }, cast) => ({ orderId: order.id, userId: cast.buyer.id }) },
      seller: forbidden,
      stranger: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'view a payment',
    route: 'GET /api/payments/{id}',
    given: shared,
    request: ({ payment }) => ({ method: 'GET', path: `/api/payments/${payment.id}` }),
    read: (body) => ({ id: (body as Payment).id, orderId: (body as Payment).orderId }),
    cells: {
      // The payer, and whoever may view the paid order.
      buyer: { status: 200, value: ({ payment, order }) => ({ id: payment.id, orderId: order.id }) },
      seller: { status: 200, value: ({ payment, order }) => ({ id: payment.id, orderId: order.id }) },
      stranger: forbidden,
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: 'see who I am',
    route: 'GET /api/users/me',
    given: () => null,
    request: () => ({ method: 'GET', path: '/api/users/me' }),
    read: (body) => ({ id: (body as User).id, email: (body as User).email }),
    cells: {
      buyer: { status: 200, value: (_, cast) => ({ id: cast.buyer.id, email: cast.buyer.email }) },
      seller: { status: 200, value: (_, cast) => ({ id: cast.seller.id, email: cast.seller.email }) },
      stranger: { status: 200, value: (_, cast) => ({ id: cast.stranger.id, email: cast.stranger.email }) },
      anonymous: unauthenticated,
    },
  }),
  rowsOf({
    action: "call Kratos's registration web hook",
    route: 'POST /hooks/registration',
    given: () => null,
    request: () => ({ method: 'POST', path: '/hooks/registration', body: { identityId: crypto.randomUUID(), email: 'hook@example.com' } }),
    read: (body) => body,
    cells: {
      // Kratos calls it inside the cluster with its API key; the edge does not route it at all.
      buyer: { status: 404, code: 'route-not-found' },
      seller: { status: 404, code: 'route-not-found' },
      stranger: { status: 404, code: 'route-not-found' },
      anonymous: { status: 404, code: 'route-not-found' },
    },
  }),
]
  .flat()
  .map((row, index) => ({ ...row, index }))

const who = ({ actor, credential }: Row) => (actor === 'anonymous' ? 'an anonymous caller' : `the ${actor} with a session ${credential}`)

let stack: LocalStack
let ready: Plan[]

/** Lists a ticket as `seller` (each with its own title, so a search finds exactly it). */
async function list(seller: Person, title: string): Promise<Ticket> {
  const answer = await call(stack.url, { method: 'POST', path: '/api/tickets', body: { title, price: 2500 } }, { person: seller, credential: 'token' })
  if (answer.status !== 201) throw new Error(`listing failed: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body as Ticket
}

/** Orders `ticket` as `buyer`, waiting while the orders service has not heard of the ticket yet. */
async function order(buyer: Person, ticket: Ticket): Promise<Order> {
  const answer = await eventually(async () => {
    const res = await call(stack.url, { method: 'POST', path: '/api/orders', body: { ticketId: ticket.id } }, { person: buyer, credential: 'token' })
    if (res.status === 404) throw new Error('the orders service has not heard of the ticket yet')
    return res
  })
  if (answer.status !== 201) throw new Error(`ordering failed: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body as Order
}

/**
 * Waits until the fixtures' events have been handled, so no row meets a replica that has not caught up (a 404 for
 * an unknown ticket or order would hide the permission answer). A ticket shows its order once order.created reached
 * tickets, and the broker enqueued that event for payments in the same publish. A probe ticket listed after every
 * other one can be ordered only once the tickets relay has published the earlier ones (it publishes in key order,
 * and uuidv7 keys follow time). `broker.idle()` then waits for every queue to drain.
 */
async function settle(cast: Cast, orders: Order[]): Promise<void> {
  // A later millisecond, so the probe's key sorts after every fixture ticket's.
  await sleep(5)
  const probe = await order(cast.stranger, await list(cast.seller, `Matrix probe ${process.pid}`))
  await inBatches([...orders, probe], 4, (placed) =>
    eventually(async () => {
      const ticket = await call(stack.url, { method: 'GET', path: `/api/tickets/${placed.ticket.id}` }, { credential: 'none' })
      expect((ticket.body as Ticket).orderId).toBe(placed.id)
    }),
  )
  await stack.broker.idle()
}

async function setUpWorld(): Promise<World> {
  const [buyer, seller, stranger] = await Promise.all(signedIn.map((name) => signUp(stack.url, name)))
  const cast: Cast = { buyer: buyer!, seller: seller!, stranger: stranger! }
  const placed: Order[] = []
  let listings = 0
  const freshTicket = () => list(cast.seller, `Matrix ticket ${process.pid}.${++listings}`)
  const freshOrder = async () => {
    const ticket = await freshTicket()
    const made = await order(cast.buyer, ticket)
    placed.push(made)
    return { ticket, order: made }
  }

  const sharedTicket = await list(cast.seller, `Matrix shared ${process.pid}`)
  const [sharedOrder, sellersPurchase, strangersPurchase] = await Promise.all([
    order(cast.buyer, sharedTicket),
    list(cast.stranger, `Matrix stranger's ${process.pid}`).then((ticket) => order(cast.seller, ticket)),
    list(cast.buyer, `Matrix buyer's ${process.pid}`).then((ticket) => order(cast.stranger, ticket)),
  ])
  const paid = await eventually(async () => {
    const res = await call(stack.url, { method: 'POST', path: '/api/payments', body: { orderId: sharedOrder.id, paymentMethod: 'pm_card_visa' } }, { person: cast.buyer, credential: 'token' })
    if (res.status !== 201) throw new Error(`paying the shared order: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body as Payment
  })
  return {
    cast,
    shared: { ticket: sharedTicket, order: sharedOrder, payment: paid },
    purchaseOf: { buyer: sharedOrder, seller: sellersPurchase, stranger: strangersPurchase },
    saleOf: { seller: sharedOrder, stranger: sellersPurchase, buyer: strangersPurchase },
    freshTicket,
    freshOrder,
    placed,
  }
}

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    dataDir: ':memory:',
    quiet: true,
    env: { GATEWAY_API_WRITES_PER_MINUTE: '0', GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE: '0' },
  })
  const world = await setUpWorld()
  ready = await inBatches(plans, 4, (plan) => plan(world))
  await settle(world.cast, world.placed)
}, 60_000)
afterAll(() => stack?.close())

describe('the authorization matrix', () => {
  it.each(matrix.map((row) => [`when ${who(row)} tries to ${row.action}, then ${row.outcome}`, row] as const))('%s', async (_, row) => {
    const { request, caller, expected } = ready[row.index]!
    const answer: Answer = await call(stack.url, request, { person: caller, credential: row.credential })
    expect(answer.status).toBe(expected.status)
    if ('code' in expected) {
      expect(answer.contentType).toContain('application/problem+json')
      expect(answer.body as Problem).toMatchObject({ status: expected.status, code: expected.code })
    } else {
      expect(expected.read(answer.body)).toEqual(expected.value)
    }
  })

  it('when the services publish their OpenAPI documents, then the matrix tries every operation in them', async () => {
    const documented: string[] = []
    for (const service of ['users', 'tickets', 'orders', 'payments']) {
      const doc = await call(stack.url, { method: 'GET', path: `/api/${service}/openapi.json` }, { credential: 'none' })
      const paths = (doc.body as { paths: Record<string, Record<string, unknown>> }).paths
      for (const [path, operations] of Object.entries(paths)) {
        for (const method of Object.keys(operations)) documented.push(`${method.toUpperCase()} ${path}`)
      }
    }
    expect(documented.length).toBeGreaterThan(0)
    expect([...new Set(documented)].filter((route) => !matrix.some((row) => row.route === route))).toEqual([])
  })
})
