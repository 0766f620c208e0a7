import { describe, expect, it } from 'vitest'
import { silentLogger } from '../testing'
import { createActorHost } from './actors'

describe('actor host routes (what the Dapr sidecar calls)', () => {
  const fired: unknown[] = []
  const app = createActorHost({
    logger: silentLogger(),
    entities: {
      OrderExpiration: {
        onReminder: async (id, name, data) => {
          if (id === 'broken') throw new Error('store away')
          fired.push({ id, name, data })
        },
      },
    },
  })

  it('when the sidecar asks /dapr/config, then it lists the actor types', async () => {
    const res = await app.request('/dapr/config')
    expect(await res.json()).toMatchObject({ entities: ['OrderExpiration'], actorIdleTimeout: '1h' })
  })

  it('when the sidecar asks /dapr/config, then the drain timeout is one Dapr honours as written (at most 24 s)', async () => {
    const res = await app.request('/dapr/config')
    expect(await res.json()).toMatchObject({ drainOngoingCallTimeout: '20s', drainRebalancedActors: true })
  })

  it('when a reminder fires, then the handler gets its data and the answer is exactly 200', async () => {
    const res = await app.request('/actors/OrderExpiration/o1/method/remind/expire', {
      method: 'PUT',
      body: JSON.stringify({ data: { orderId: 'o1' }, dueTime: '2s', period: '' }),
    })
    expect(res.status).toBe(200)
    expect(fired).toEqual([{ id: 'o1', name: 'expire', data: { orderId: 'o1' } }])
  })

  it('when the reminder handler fails, then the answer is not 200 so the sidecar fires it again', async () => {
    const res = await app.request('/actors/OrderExpiration/broken/method/remind/expire', { method: 'PUT', body: '{}' })
    expect(res.status).toBe(500)
  })

  it('when the sidecar deactivates an actor, then the answer is exactly 200', async () => {
    expect((await app.request('/actors/OrderExpiration/o1', { method: 'DELETE' })).status).toBe(200)
  })

  it('when an unknown actor type is called, then the answer is 404', async () => {
    expect((await app.request('/actors/Nope/o1/method/remind/x', { method: 'PUT', body: '{}' })).status).toBe(404)
  })
})
