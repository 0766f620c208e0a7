import { randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto'

const keyLength = 32
const params: ScryptOptions = { N: 16_384, r: 8, p: 1 }

const derive = (password: BinaryLike, salt: Buffer, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  )

/** Hashes a password with scrypt and a random per-password salt, in a PHC-like string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return `$scrypt$ln=14,r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Checks a password against a hash from hashPassword in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [, algorithm, settings, salt, key] = hash.split('$')
  if (algorithm !== 'scrypt' || !settings || !salt || !key) return false
  const values = Object.fromEntries(
    settings.split(',').map((pair): [string, string | undefined] => {
      const [name = '', value] = pair.split('=')
      return [name, value]
    }),
  )
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: 2 ** Number(values.ln),
    r: Number(values.r),
    p: Number(values.p),
  })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
