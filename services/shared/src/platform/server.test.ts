import { connect } from 'node:net'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { listen } from './server'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An app whose `/slow` answers after `ms`, with a body long enough to be sent in several chunks. */
function slowApp(ms: number) {
  const app = new Hono()
  app.get('/slow', async (c) => {
    await pause(ms)
    return c.text('x'.repeat(200_000))
  })
  return app
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(true))
  })

describe('listen: close', () => {
  it('when a request is in flight at close, then it gets its whole response, and new connections are refused', async () => {
    const server = await listen(slowApp(300), { port: 0 })
    const inFlight = fetch(`${server.url}/slow`).then(async (res) => ({ status: res.status, length: (await res.text()).length }))
    await pause(50)

    const closed = server.close()

    expect(await refused(server.port)).toBe(true)
    expect(await inFlight).toEqual({ status: 200, length: 200_000 })
    await closed
  })

  it('when a request outlasts the grace period, then it is cut and close still finishes', async () => {
    const server = await listen(slowApp(5_000), { port: 0, graceMs: 100 })
    const inFlight = fetch(`${server.url}/slow`).then(
      (res) => res.status,
      () => 'cut',
    )
    await pause(50)

    await server.close()

    expect(await inFlight).toBe('cut')
  })
})
