import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const tokenLength = 32

/** Anti-CSRF tokens as Kratos makes them (nosurf): a secret in a cookie, one-time-padded copies in forms. */
export interface Csrf {
  cookieName: string
  newSecret(): string
  /** Whether a cookie value is a usable secret (32 bytes, base64), as nosurf accepts it. */
  isSecret(value: string | undefined): value is string
  mask(secret: string): string
  verify(secret: string | undefined, sent: string | undefined): boolean
}

/** Creates the CSRF helper; the cookie name hashes the public base URL exactly as Kratos does. */
export function createCsrf(publicBaseUrl: string): Csrf {
  const cookieName = `csrf_token_${createHash('sha256').update(publicBaseUrl).digest('hex')}`
  const isSecret = (value: string | undefined): value is string =>
    value !== undefined && Buffer.from(value, 'base64').length === tokenLength
  return {
    cookieName,
    newSecret: () => randomBytes(tokenLength).toString('base64'),
    isSecret,
    mask(secret) {
      const real = Buffer.from(secret, 'base64')
      const pad = randomBytes(real.length)
      const masked = Buffer.from(real.map((byte, i) => byte ^ (pad[i] ?? 0)))
      return Buffer.concat([pad, masked]).toString('base64')
    },
    verify(secret, sent) {
      if (!isSecret(secret) || !sent) return false
      const real = Buffer.from(secret, 'base64')
      const raw = Buffer.from(sent, 'base64')
      if (raw.length !== tokenLength * 2) return false
      const unmasked = Buffer.from(raw.subarray(tokenLength).map((byte, i) => byte ^ (raw[i] ?? 0)))
      return timingSafeEqual(unmasked, real)
    },
  }
}
