// HMAC helpers for webhook signatures: computed over raw bytes, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const hmacSha256 = (secret: string, data: Buffer | string): Buffer => createHmac('sha256', secret).update(data).digest()

/** Constant-time equality of two byte strings (false for different lengths, without early exit on content). */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Decodes hex without throwing; an odd or non-hex string gives an empty buffer (never equal to a digest). */
export function fromHex(s: string): Buffer {
  return /^[0-9a-fA-F]*$/.test(s) && s.length % 2 === 0 ? Buffer.from(s, 'hex') : Buffer.alloc(0)
}
