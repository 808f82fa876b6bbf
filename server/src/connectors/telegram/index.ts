// Telegram Bot API: citizens write to the government's bot, in the discussion group of its channel,
// or to a Telegram Business account connected to the bot (platform-specs.md §6).
import type { Connector } from '../types.ts'
import { enrichTelegram } from './enrich.ts'
import { normalizeTelegram } from './normalize.ts'
import { sendTelegram, testTelegramConnection } from './send.ts'

export const telegramConnector: Connector = {
  platforms: ['telegram'],
  normalize: normalizeTelegram,
  // Staff answering in a group from their personal accounts are known by the group's admin list.
  enrich: enrichTelegram,
  send: sendTelegram,
  testConnection: testTelegramConnection,
  // A bot may write to a user who started it at any time: no window. (⚠ A Business connection may
  // only act in chats active in the last 24 h — BusinessConnection.can_reply — but windows are per
  // item kind here and bot DMs have none; Telegram's 4xx then shows on the reply.)
  // Telegram asks for about 1 message/s per chat, 20/min per group and 30/s overall per bot; the
  // limiter is per channel (bot), so 25/s keeps under the global limit with room for other calls.
  sendsPerSecond: 25,
}
