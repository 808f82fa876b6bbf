// TikTok webhook signatures (platform-specs.md §8.3c): header "TikTok-Signature: t=<unix s>,s=<hex>"
// where s = hex HMAC-SHA256(client_secret, t + "." + raw body). The timestamp is signed too, so a
// captured delivery cannot be replayed outside the tolerance window.
import { bytesEqual, fromHex, hmacSha256 } from '../../lib/hmac.ts'

export const TIKTOK_SIGNATURE_HEADER = 'tiktok-signature'

/** How far the signed time may be from ours, either way. Chatwoot uses 5 s; 300 s is the common choice and survives clock drift. */
export const TIKTOK_TOLERANCE_MS = 5 * 60_000

const signedPayload = (t: string, rawBody: Buffer | string) =>
  Buffer.concat([Buffer.from(`${t}.`, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')])

/** The header value TikTok would send for this body at unix time `t` (seconds). */
export const signTiktok = (clientSecret: string, t: number, rawBody: Buffer | string): string =>
  `t=${t},s=${hmacSha256(clientSecret, signedPayload(String(t), rawBody)).toString('hex')}`

/** Splits "t=…,s=…" (order free); the first value of each key counts. */
function parseHeader(header: string): { t: string; s: string } | undefined {
  if (header.length > 512) return undefined
  const parts = new Map<string, string>()
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const key = part.slice(0, eq).trim()
    if (!parts.has(key)) parts.set(key, part.slice(eq + 1).trim())
  }
  const t = parts.get('t')
  const s = parts.get('s')
  return t !== undefined && s !== undefined ? { t, s } : undefined
}

export type VerifyResult = { ok: true } | { ok: false; reason: string }

/** Checks the header against every client secret in use (each in constant time) and the time window. */
export function verifyTiktokSignature(rawBody: Buffer, header: unknown, clientSecrets: Iterable<string>, now: number): VerifyResult {
  if (typeof header !== 'string') return { ok: false, reason: 'Missing TikTok-Signature header' }
  const parsed = parseHeader(header)
  if (!parsed || !/^\d{1,12}$/.test(parsed.t)) return { ok: false, reason: 'Malformed TikTok-Signature header' }
  if (Math.abs(now - Number(parsed.t) * 1000) > TIKTOK_TOLERANCE_MS) return { ok: false, reason: 'TikTok-Signature timestamp outside the allowed window' }
  const given = fromHex(parsed.s)
  const payload = signedPayload(parsed.t, rawBody)
  let ok = false
  // Check every secret, so the time taken does not tell which one matched.
  for (const secret of clientSecrets) ok = bytesEqual(hmacSha256(secret, payload), given) || ok
  return ok ? { ok: true } : { ok: false, reason: 'Bad TikTok-Signature' }
}
