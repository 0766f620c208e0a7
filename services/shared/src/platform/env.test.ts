import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseEnv } from './env'

describe('parseEnv', () => {
  const schema = z.object({ PORT: z.coerce.number().int(), KRATOS_PUBLIC_URL: z.url() })

  it('when every variable is valid, then the typed config comes back', () => {
    expect(parseEnv(schema, { PORT: '3000', KRATOS_PUBLIC_URL: 'http://kratos:4433' })).toEqual({ PORT: 3000, KRATOS_PUBLIC_URL: 'http://kratos:4433' })
  })

  it('when variables are missing or wrong, then one message names each of them', () => {
    expect(() => parseEnv(schema, { PORT: 'x' })).toThrow(/Invalid configuration:\n {2}PORT: .*\n {2}KRATOS_PUBLIC_URL: /)
  })
})
