import { Writable } from 'node:stream'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createLogger, requestLogger } from './logger'
import { traceIdOf } from './trace'

describe('logging', () => {
  it('when a traceparent is well formed, then its trace id is read; otherwise none', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736')
    expect(traceIdOf('garbage')).toBeUndefined()
    expect(traceIdOf(undefined)).toBeUndefined()
  })

  it('when a request comes in, then one line carries its request id and trace id, and credentials are left out', async () => {
    const lines: Array<Record<string, unknown>> = []
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) })
    const app = new Hono()
    app.use(requestLogger(createLogger({ name: 'test', destination })))
    app.get('/x', (c) => {
      c.var.log.info({ password: 'hunter2hunter2' }, 'inside')
      return c.text('ok')
    })
    const res = await app.request('/x', {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'x-request-id': 'req-1', cookie: 'ory_kratos_session=secret' },
    })
    expect(res.headers.get('x-request-id')).toBe('req-1')
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'inside', requestId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', password: '[Redacted]' }),
      expect.objectContaining({ msg: 'request', requestId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', method: 'GET', path: '/x', status: 200 }),
    ])
    expect(JSON.stringify(lines)).not.toContain('secret')
  })
})
