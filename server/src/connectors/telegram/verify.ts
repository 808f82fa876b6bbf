// Telegram has no body signature: setWebhook's secret_token comes back in a header on every request,
// and only Telegram (and whoever set the webhook) knows it (platform-specs.md §6 (c)).
import { safeEqual } from '../../lib/crypto.ts'

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token'

/** Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -. */
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/

export type SecretCheck = 'ok' | 'missing' | 'wrong'

/** Compares the header with the channel's secret in constant time. A channel without a secret accepts nothing. */
export function checkSecretToken(header: string | string[] | undefined, secret: string | undefined): SecretCheck {
  if (typeof header !== 'string' || header === '') return 'missing'
  if (!secret || !SECRET_TOKEN.test(secret)) return 'wrong'
  return safeEqual(header, secret) ? 'ok' : 'wrong'
}
