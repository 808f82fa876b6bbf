// The secrets each platform's channel needs, for the channel settings form. Secrets are
// write-only: the API never returns them, only which ones are set.
import type { Platform } from './constants.ts'

export interface SecretField {
  key: string
  label: { id: string; en: string }
}

const META: SecretField[] = [
  { key: 'appSecret', label: { id: 'App Secret aplikasi Meta', en: 'Meta app secret' } },
  { key: 'verifyToken', label: { id: 'Verify token webhook', en: 'Webhook verify token' } },
  { key: 'accessToken', label: { id: 'Access token (Page / system user)', en: 'Access token (Page / system user)' } },
]

export const CHANNEL_SECRETS: Record<Platform, SecretField[]> = {
  website: [],
  facebook: META,
  instagram: META,
  whatsapp: META,
  telegram: [
    { key: 'botToken', label: { id: 'Token bot (dari BotFather)', en: 'Bot token (from BotFather)' } },
    { key: 'secretToken', label: { id: 'Secret token webhook', en: 'Webhook secret token' } },
  ],
  x: [
    { key: 'consumerSecret', label: { id: 'Consumer secret (API key secret)', en: 'Consumer secret (API key secret)' } },
    { key: 'accessToken', label: { id: 'Access token pengguna (OAuth 2.0)', en: 'User access token (OAuth 2.0)' } },
  ],
  tiktok: [
    { key: 'clientSecret', label: { id: 'Client secret aplikasi', en: 'App client secret' } },
    { key: 'accessToken', label: { id: 'Access token akun bisnis', en: 'Business account access token' } },
  ],
  youtube: [{ key: 'accessToken', label: { id: 'Access token OAuth 2.0', en: 'OAuth 2.0 access token' } }],
}
