import { describe, expect, it } from 'vitest'
import { startLocalStack } from '../../dev/src/stack'

// ALLOWED_ORIGINS reaches every service: the origins it names may write with the session cookie, others not.
describe('ALLOWED_ORIGINS through the one-machine stack', () => {
  it('when the gateway, its localhost name and an origin from .env write with a cookie, then they pass the cross-site guard and another origin does not', async () => {
    const stack = await startLocalStack({ port: 0, dataDir: ':memory:', quiet: true, env: { ALLOWED_ORIGINS: 'http://localhost:5173' } })
    try {
      const port = new URL(stack.url).port
      const post = async (origin: string) =>
        (await fetch(`${stack.url}/api/tickets`, { method: 'POST', headers: { cookie: 'x=y', origin, 'content-type': 'application/json' }, body: '{}' })).status

      // 401: past the guard (the cookie holds no session); 403: refused as a cross-site write.
      expect([await post(`http://localhost:${port}`), await post('http://localhost:5173'), await post('http://evil.example')]).toEqual([401, 401, 403])
    } finally {
      await stack.close()
    }
  })
})
