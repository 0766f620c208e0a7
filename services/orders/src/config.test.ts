import { describe, expect, it } from 'vitest'
import { loadConfig } from './config'

const required = { PORT: '3000', KRATOS_PUBLIC_URL: 'http://kratos', KETO_READ_URL: 'http://keto:4466', KETO_WRITE_URL: 'http://keto:4467' }

describe('orders configuration', () => {
  it('when EXPIRATION_WINDOW_SECONDS is unset, then a reservation lasts 15 minutes', () => {
    expect(loadConfig(required).EXPIRATION_WINDOW_SECONDS).toBe(900)
    expect(loadConfig({ ...required, EXPIRATION_WINDOW_SECONDS: '2' }).EXPIRATION_WINDOW_SECONDS).toBe(2)
  })

  it('when the window is not a positive whole number, then start-up fails naming it', () => {
    expect(() => loadConfig({ ...required, EXPIRATION_WINDOW_SECONDS: '-1' })).toThrow(/EXPIRATION_WINDOW_SECONDS/)
    expect(() => loadConfig({ ...required, EXPIRATION_WINDOW_SECONDS: '1.5' })).toThrow(/EXPIRATION_WINDOW_SECONDS/)
  })
})
