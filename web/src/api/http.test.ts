import { afterEach, describe, expect, it, vi } from 'vitest'
import type { paths } from './generated/tickets'
import { ApiError, bodyOf, createApiClient, retryWhile } from './http'

const notYet = () => new ApiError(404, 'ticket-not-found', 'Ticket not found')

/** A call that fails with `failures` in turn, then answers 'ok'; counts its calls. */
function flaky(failures: Error[]) {
  const call = async () => {
    call.calls++
    const failure = failures.shift()
    if (failure) throw failure
    return 'ok'
  }
  call.calls = 0
  return call
}

// The pauses between attempts run on fake timers, so the tests do not wait.
async function settle<T>(promise: Promise<T>): Promise<T> {
  const outcome = promise.then((value) => ({ value }), (error: unknown) => ({ error }))
  await vi.runAllTimersAsync()
  const result = await outcome
  if ('error' in result) throw result.error
  return result.value
}

describe('retryWhile', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('when the API answers a listed code twice, then the third call\'s answer is returned', async () => {
    vi.useFakeTimers()
    const call = flaky([notYet(), notYet()])

    const answer = await settle(retryWhile(['ticket-not-found'], call))

    expect(answer).toBe('ok')
    expect(call.calls).toBe(3)
  })

  it('when the API answers another code, then it is thrown at once', async () => {
    vi.useFakeTimers()
    const call = flaky([new ApiError(409, 'ticket-reserved', 'Reserved')])

    await expect(settle(retryWhile(['ticket-not-found'], call))).rejects.toMatchObject({ code: 'ticket-reserved' })
    expect(call.calls).toBe(1)
  })

  it('when the listed code never goes away, then the last answer is thrown after a few attempts', async () => {
    vi.useFakeTimers()
    const call = flaky(Array.from({ length: 10 }, notYet))

    await expect(settle(retryWhile(['ticket-not-found'], call))).rejects.toMatchObject({ code: 'ticket-not-found' })
    expect(call.calls).toBe(5)
  })
})

/** A tickets client whose network is `answer`; keeps the requests it was sent. */
function clientAnswering(answer: (request: Request) => Promise<Response>) {
  const sent: Request[] = []
  const client = createApiClient<paths>({
    baseUrl: 'http://app.test',
    fetch: (request) => {
      sent.push(request)
      return answer(request)
    },
  })
  return { client, sent }
}

const ticket = {
  id: 't/1', title: 'Opera', description: '', price: 4200, userId: 'ann', orderId: null, version: 1,
  createdAt: '2026-06-01T10:00:00.000Z', updatedAt: '2026-06-01T10:00:00.000Z',
}
const json = (body: unknown, status: number, type = 'application/json') =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } }))

describe('createApiClient', () => {
  it('when a route answers 2xx, then bodyOf gives its JSON and the request was JSON to the typed path', async () => {
    const { client, sent } = clientAnswering(() => json(ticket, 200))

    const body = await bodyOf(client.PATCH('/api/tickets/{id}', { params: { path: { id: 't/1' } }, body: { price: 4200 } }))

    expect(body).toEqual(ticket)
    const [request] = sent
    expect([request?.method, request?.url]).toEqual(['PATCH', 'http://app.test/api/tickets/t%2F1'])
    expect([request?.headers.get('accept'), request?.headers.get('content-type')]).toEqual(['application/json', 'application/json'])
    expect(await request?.json()).toEqual({ price: 4200 })
  })

  it('when a route answers a problem document, then the call throws an ApiError with its status, code, detail and fields', async () => {
    const problem = {
      type: 'about:blank', title: 'Bad Request', status: 400, detail: 'The request has invalid fields', code: 'validation-failed',
      errors: [{ field: 'price', message: 'A price is a whole number of cents' }],
    }
    const { client } = clientAnswering(() => json(problem, 400, 'application/problem+json'))

    const failure = await bodyOf(client.POST('/api/tickets', { body: { title: 'Opera', description: '', price: 12.5 } })).catch((e: unknown) => e)

    expect(failure).toBeInstanceOf(ApiError)
    expect(failure).toMatchObject({ status: 400, code: 'validation-failed', detail: 'The request has invalid fields' })
    expect(failure instanceof ApiError && failure.fieldMessages()).toEqual({ price: 'A price is a whole number of cents' })
  })

  it('when something other than a service answers an error (a gateway page), then the ApiError names the status', async () => {
    const { client } = clientAnswering(() => Promise.resolve(new Response('<h1>Bad Gateway</h1>', { status: 502 })))

    await expect(bodyOf(client.GET('/api/tickets/{id}', { params: { path: { id: 't1' } } }))).rejects.toMatchObject({
      status: 502, code: 'http-502', detail: 'The server answered 502', errors: [],
    })
  })

  it('when the server cannot be reached, then the call throws a network-error ApiError', async () => {
    const { client } = clientAnswering(() => Promise.reject(new TypeError('Failed to fetch')))

    await expect(bodyOf(client.GET('/api/tickets', { params: { query: { q: 'opera' } } }))).rejects.toMatchObject({
      status: 0, code: 'network-error', detail: 'The server could not be reached. Check your connection and try again.',
    })
  })
})
