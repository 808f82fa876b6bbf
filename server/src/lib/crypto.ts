// Small crypto helpers: random tokens, hashes, and sealing secrets at rest with AES-256-GCM.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { TRACKING_ALPHABET } from '@tanggap/shared'

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url')

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb) && a.length === b.length
}

export function newTrackingCode(): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]
  return `${s.slice(0, 4)}-${s.slice(4)}`
}

/** Seals a JSON value as "v1.<iv>.<tag>.<ciphertext>" (base64url parts). */
export function seal(key: Buffer, value: unknown): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

export function unseal<T>(key: Buffer, sealed: string): T {
  const [version, iv, tag, body] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed format')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
  return JSON.parse(plain.toString('utf8')) as T
}
