// X webhook security (platform-specs.md §9c): the CRC answer and the POST signature are both
// "sha256=" + base64(HMAC-SHA256(consumer secret, message)), the message being the crc_token or
// the raw body.
import { bytesEqual, hmacSha256 } from '../../lib/hmac.ts'

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature'

export const signX = (consumerSecret: string, message: Buffer | string): string => `sha256=${hmacSha256(consumerSecret, message).toString('base64')}`

/**
 * The CRC answer signs a string the caller chooses with the same key as deliveries, so it could be
 * used to sign a forged body. A delivery must be a JSON object; refusing tokens with JSON's
 * structural characters closes that door. X's tokens are random printable strings (⚠ the format
 * is not documented; none seen contain these characters).
 */
export const isCrcToken = (token: string): boolean => token.length > 0 && token.length <= 1024 && /^[\x21-\x7e]+$/.test(token) && !/[{}[\]"]/.test(token)

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** The secrets (of those given) that signed this body; empty when none did or the header is malformed. */
export function signersOf(rawBody: Buffer, header: string | undefined, secrets: Iterable<string>): Set<string> {
  const matched = new Set<string>()
  if (!header?.startsWith('sha256=')) return matched
  const encoded = header.slice('sha256='.length)
  if (encoded.length > 200 || !BASE64.test(encoded)) return matched
  const given = Buffer.from(encoded, 'base64')
  // Check every secret, so the time taken does not tell which one matched.
  for (const secret of secrets) if (bytesEqual(hmacSha256(secret, rawBody), given)) matched.add(secret)
  return matched
}
