// Meta (Facebook, Messenger, Instagram, WhatsApp) webhook signatures: X-Hub-Signature-256 is
// "sha256=" + hex HMAC-SHA256 of the raw body with the app secret (platform-specs.md §0.2).
import { bytesEqual, fromHex, hmacSha256 } from '../../lib/hmac.ts'

export const META_SIGNATURE_HEADER = 'x-hub-signature-256'

export const signMeta = (appSecret: string, rawBody: Buffer | string): string => `sha256=${hmacSha256(appSecret, rawBody).toString('hex')}`

/** The app secrets (one per Meta app in use) under which the header matches the body; empty when none does. */
export function metaSigners(rawBody: Buffer, header: string | undefined, appSecrets: Iterable<string>): Set<string> {
  const matched = new Set<string>()
  if (!header?.startsWith('sha256=')) return matched
  const given = fromHex(header.slice('sha256='.length))
  // Check every secret, so the time taken does not tell which one matched.
  for (const secret of appSecrets) if (bytesEqual(hmacSha256(secret, rawBody), given)) matched.add(secret)
  return matched
}
