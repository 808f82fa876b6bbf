// Replying through the bot: sendMessage to the thread's chat, quoting the citizen's latest message.
// Telegram does not echo a bot's own messages back, so the id in the answer is the only record of it.
import { PermanentJobError } from '../../jobs/registry.ts'
import { isObject } from '../read.ts'
import type { Fetch, OpenChannel, Sender } from '../types.ts'
import { callBotApi, botTokenOf } from './bot-api.ts'
import { businessMessageExternalId, messageExternalId, optId, replyTargetOf } from './ids.ts'

/** sendMessage takes 1-4096 characters. */
export const TELEGRAM_TEXT_LIMIT = 4096

export const sendTelegram: Sender = async (req) => {
  const token = botTokenOf(req.channel)
  const target = replyTargetOf(req.externalThreadId, req.replyToExternalId)
  if (!target) throw new PermanentJobError(`Not a Telegram thread: ${req.externalThreadId.slice(0, 100)}`)
  if (!req.text.trim()) throw new PermanentJobError('Telegram does not send an empty message')
  if (req.text.length > TELEGRAM_TEXT_LIMIT) throw new PermanentJobError(`Telegram messages are at most ${TELEGRAM_TEXT_LIMIT} characters`)
  const result = await callBotApi(
    req.apiBase,
    token,
    'sendMessage',
    {
      // Chat ids have at most 52 significant bits: exact as a JSON number.
      chat_id: Number(target.chatId),
      text: req.text,
      // Still send if the citizen deleted the message meanwhile, rather than fail the reply.
      ...(target.replyToMessageId ? { reply_parameters: { message_id: Number(target.replyToMessageId), allow_sending_without_reply: true } } : {}),
      // In a Telegram Business chat the bot writes as the business account.
      ...(target.businessConnectionId ? { business_connection_id: target.businessConnectionId } : {}),
    },
    req.fetch,
  )
  const chatId = isObject(result) && isObject(result.chat) ? optId(result.chat.id) : null
  const messageId = isObject(result) ? optId(result.message_id) : null
  // It was sent, but we cannot tell which message it is: retrying would send it twice.
  if (!chatId || !messageId) throw new PermanentJobError('Telegram sendMessage answered without the sent message id')
  return {
    externalId: target.businessConnectionId ? businessMessageExternalId(target.businessConnectionId, chatId, messageId) : messageExternalId(chatId, messageId),
  }
}

/** A cheap authenticated check: getMe names the bot the token belongs to. */
export async function testTelegramConnection(channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<string> {
  const me = await callBotApi(apiBase, botTokenOf(channel), 'getMe', null, fetch)
  const botId = isObject(me) ? optId(me.id) : null
  if (!isObject(me) || !botId) throw new Error('Telegram getMe answered without a bot')
  if (channel.accountId && botId !== channel.accountId) throw new Error(`The token belongs to bot ${botId}, not to this channel's bot ${channel.accountId}`)
  const name = typeof me.username === 'string' ? `@${me.username}` : typeof me.first_name === 'string' ? me.first_name : `bot ${botId}`
  const groups =
    me.can_read_all_group_messages === true ? 'reads every group message' : 'privacy mode on: in groups it sees only replies to it, mentions and commands'
  return `${name.slice(0, 100)} (id ${botId}); ${groups}`
}
