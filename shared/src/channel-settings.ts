// Plain values of the channel settings, shared by the server and the web app (no TypeBox here, so
// the browser bundle stays small): limits, secret keys, and where each platform's webhook lives.
import { CHANNEL_SECRETS } from './channels.ts'
import type { Platform } from './constants.ts'

export const CHANNEL_LIMITS = {
  name: 200,
  accountId: 200,
  secret: 4096,
  lastError: 500,
  webhookUrl: 600,
  testDetail: 500,
  flagDetail: 1000,
} as const

/** Every secret key some platform uses (appSecret, verifyToken, accessToken, botToken, …). */
export const SECRET_KEYS: string[] = [...new Set(Object.values(CHANNEL_SECRETS).flatMap((fields) => fields.map((f) => f.key)))]

/** Platforms served by the one Meta webhook (and whose channels have a visible verify token). */
export const META_WEBHOOK_PLATFORMS: readonly Platform[] = ['facebook', 'instagram', 'whatsapp']

/**
 * The webhook path a platform's deliveries arrive at (appended to PUBLIC_URL), or null for
 * platforms without webhooks (the website form posts to our own API; YouTube is polled).
 * Telegram has one path per bot, named by the bot id (the channel's account id).
 */
export function webhookPath(platform: Platform, accountId: string): string | null {
  switch (platform) {
    case 'facebook':
    case 'instagram':
    case 'whatsapp':
      return '/webhooks/meta'
    case 'telegram':
      return `/webhooks/telegram/${encodeURIComponent(accountId)}`
    case 'tiktok':
      return '/webhooks/tiktok'
    case 'x':
      return '/webhooks/x'
    case 'website':
    case 'youtube':
      return null
  }
}
