import { describe, expect, it } from 'vitest'
import { defaultLimits, gatewayLimits } from './limits'

describe('gatewayLimits', () => {
  it('when nothing is set, then 1 MiB bodies, 100 self-service submits and 600 API writes a minute', () => {
    expect(gatewayLimits({})).toEqual({ maxBodyBytes: 1024 * 1024, selfServiceSubmitsPerMinute: 100, apiWritesPerMinute: 600 })
    expect(gatewayLimits({})).toEqual(defaultLimits)
  })

  it('when the variables are set, then they win, and 0 is kept (no limit)', () => {
    const limits = gatewayLimits({ GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE: '5', GATEWAY_API_WRITES_PER_MINUTE: '0' })

    expect(limits).toMatchObject({ selfServiceSubmitsPerMinute: 5, apiWritesPerMinute: 0 })
  })

  it('when a variable is empty, then it counts as unset, not as 0', () => {
    expect(gatewayLimits({ GATEWAY_API_WRITES_PER_MINUTE: '' }).apiWritesPerMinute).toBe(600)
  })

  it('when a variable is not a whole number of at least 0, then start-up fails naming it', () => {
    expect(() => gatewayLimits({ GATEWAY_API_WRITES_PER_MINUTE: 'lots' })).toThrow(/GATEWAY_API_WRITES_PER_MINUTE/)
    expect(() => gatewayLimits({ GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE: '-1' })).toThrow(/GATEWAY_SELF_SERVICE_SUBMITS_PER_MINUTE/)
  })
})
