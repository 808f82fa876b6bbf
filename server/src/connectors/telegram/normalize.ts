// A Telegram Update (one per webhook request) into platform-neutral events (platform-specs.md §6).
//
// - message / edited_message in a private chat with the bot: a DM; the thread is the chat.
// - message / edited_message in a group or supergroup (the discussion group of the government's
//   channel, or a community group where the bot is admin): a comment; the thread is the chat plus
//   the message that roots its reply chain.
// - business_message / edited_business_message / deleted_business_messages: the chats of a
//   Telegram Business account connected to the bot; DMs, with the account owner's messages 'out'.
// - channel_post / edited_channel_post: ignored. They are the government's own broadcasts (citizens
//   cannot write in a channel); citizens answer in the linked discussion group, which we read.
// - everything else (callback_query, my_chat_member, message_reaction, polls…): ignored.
import { clip, cutText, isObject, MAX_NAME, str, type Json } from '../read.ts'
import type { DeliveryInput, NormalizedEvent, Normalizer } from '../types.ts'
import { contentOf } from './content.ts'
import { businessMessageExternalId, businessThreadId, groupThreadId, id, messageExternalId, optId } from './ids.ts'

/** Telegram deletes at most 100 messages per call; a longer list is not something it sends. */
const MAX_DELETED = 1000
const MAX_CONNECTION_ID = 256
const UNKNOWN_AUTHOR = 'Pengguna Telegram'

type Verb = 'add' | 'edit'

// Unix seconds between 1970 and year 5138: anything else is not a Telegram date.
const MAX_SECONDS = 1e11

/** A Telegram date (Unix seconds) in epoch milliseconds, or null. */
const optSeconds = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v < MAX_SECONDS ? v * 1000 : null)

interface Ctx {
  botId: string | null
  receivedAt: number
}

export const normalizeTelegram: Normalizer = (delivery) => {
  const update = parseUpdate(delivery.rawBody)
  const ctx: Ctx = { botId: botIdOf(delivery), receivedAt: delivery.receivedAt }
  // "At most one of the optional fields can be present in any given update": the first one wins.
  if (update.message !== undefined) return botChatMessage(update.message, 'add', ctx)
  if (update.edited_message !== undefined) return botChatMessage(update.edited_message, 'edit', ctx)
  if (update.business_message !== undefined) return businessMessage(update.business_message, 'add', ctx)
  if (update.edited_business_message !== undefined) return businessMessage(update.edited_business_message, 'edit', ctx)
  if (update.deleted_business_messages !== undefined) return deletedBusinessMessages(update.deleted_business_messages, ctx)
  return []
}

function parseUpdate(raw: Buffer): Json {
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new Error('telegram delivery is not JSON')
  }
  if (!isObject(body)) throw new Error('telegram delivery is not a JSON object')
  if (optId(body.update_id) === null) throw new Error('telegram delivery has no integer update_id')
  return body
}

/** The bot's id, from the key the receiver stored the delivery under (`telegram:<botId>:<update_id>`): Telegram bodies do not name the bot. */
function botIdOf(delivery: DeliveryInput): string | null {
  return /^telegram:(\d{1,20}):/.exec(delivery.dedupeKey)?.[1] ?? null
}

interface Author {
  id: string | null
  name: string
}

function personName(u: Json): string {
  const full = [str(u.first_name), str(u.last_name)].filter(Boolean).join(' ')
  if (full.trim()) return full
  const username = str(u.username)
  return username ? `@${username}` : ''
}

/** Who wrote it: the chat it was sent on behalf of (a channel, or the group's anonymous admins), else the user. */
function authorOf(m: Json): Author {
  // For sender_chat messages, `from` is a placeholder account (GroupAnonymousBot, Channel_Bot).
  const chat = isObject(m.sender_chat) ? m.sender_chat : null
  if (chat) return { id: optId(chat.id), name: clip(str(chat.title) || personName(chat) || UNKNOWN_AUTHOR, MAX_NAME) }
  const from = isObject(m.from) ? m.from : null
  return { id: from ? optId(from.id) : null, name: clip((from && personName(from)) || UNKNOWN_AUTHOR, MAX_NAME) }
}

interface Basics {
  chat: Json
  chatId: string
  chatType: string
  messageId: string
  sentAt: number
  text: string
}

/** The fields every message needs; null for a message with nothing a person wrote (service messages). */
function basics(m: unknown, verb: Verb): Basics | null {
  if (!isObject(m)) throw new Error('telegram update: the message is not an object')
  if (!isObject(m.chat)) throw new Error('telegram update: the message has no chat')
  const chatId = id(m.chat.id, 'chat.id')
  const messageId = id(m.message_id, 'message_id')
  const date = optSeconds(m.date)
  if (date === null) throw new Error('telegram update: message.date is not a Unix time')
  // Old payloads (the webhook guide's example) have no chat.type; user ids are positive, group ids negative.
  const chatType = str(m.chat.type) || (chatId.startsWith('-') ? 'group' : 'private')
  const text = contentOf(m)
  if (text === null) return null
  // An edit happens at edit_date; the citizen's clock still runs from the original message.
  const sentAt = verb === 'edit' ? (optSeconds(m.edit_date) ?? date) : date
  return { chat: m.chat, chatId, chatType, messageId, sentAt, text: cutText(text) }
}

function botChatMessage(raw: unknown, verb: Verb, ctx: Ctx): NormalizedEvent[] {
  const b = basics(raw, verb)
  if (!b) return []
  const m = raw as Json
  const author = authorOf(m)
  const base = {
    accountId: ctx.botId ?? '',
    verb,
    externalId: messageExternalId(b.chatId, b.messageId),
    authorName: author.name,
    authorExternalId: author.id,
    text: b.text,
    sentAt: b.sentAt,
  }
  if (b.chatType === 'private') {
    // Only the citizen writes here: the bot's own messages never come back as updates, and staff
    // cannot write "as the bot" outside Tanggap.
    return [{ ...base, kind: 'dm', externalThreadId: b.chatId, direction: 'in' }]
  }
  if (b.chatType !== 'group' && b.chatType !== 'supergroup') return []
  // The channel's own post, copied into its discussion group: the root citizens comment under, not a comment.
  if (m.is_automatic_forward === true) return []
  const parent = isObject(m.reply_to_message) ? m.reply_to_message : null
  const parentId = parent ? optId(parent.message_id) : null
  return [
    {
      ...base,
      kind: 'comment',
      externalThreadId: groupThreadId(b.chatId, threadRoot(b.messageId, parent, parentId)),
      parentExternalId: parentId ? messageExternalId(b.chatId, parentId) : null,
      direction: isGovernmentInGroup(m, b.chatId, author, parent, ctx) ? 'out' : 'in',
    },
  ]
}

/**
 * The message a group thread hangs from. A message that replies to nothing, to the channel's post
 * (a top-level comment) or to a forum topic's opening is its own root; a reply hangs from the message
 * it answers. The Bot API includes reply_to_message one level deep only, so a reply to a reply opens
 * the thread of its direct parent — a citizen's first comment and the answers to it stay together,
 * deeper chains split. (message_thread_id cannot be used instead: in a discussion group it is the
 * channel post, shared by every comment under it.)
 */
function threadRoot(messageId: string, parent: Json | null, parentId: string | null): string {
  if (!parent || !parentId) return messageId
  if (parent.is_automatic_forward === true || isObject(parent.forum_topic_created)) return messageId
  return parentId
}

/**
 * The government's own native reply in a group: posted by the bot itself, by an anonymous admin of
 * the group (sender_chat is the group), or as the linked channel under that channel's post.
 * Staff answering under their personal accounts need the group's admin list
 * (getChatAdministrators), which a single update does not carry: enrich.ts turns those to 'out'.
 * A citizen may also comment "as" a channel of their own, so a channel sender is ours only when it is
 * the channel whose post the comment answers.
 */
function isGovernmentInGroup(m: Json, chatId: string, author: Author, parent: Json | null, ctx: Ctx): boolean {
  const from = isObject(m.from) ? m.from : null
  if (ctx.botId && from && optId(from.id) === ctx.botId) return true
  const senderChat = isObject(m.sender_chat) ? m.sender_chat : null
  if (!senderChat || author.id === null) return false
  if (author.id === chatId) return true
  return !!parent && parent.is_automatic_forward === true && isObject(parent.sender_chat) && optId(parent.sender_chat.id) === author.id
}

function connectionIdOf(m: Json): string {
  const connection = m.business_connection_id
  if (typeof connection !== 'string' || !connection || connection.length > MAX_CONNECTION_ID) {
    throw new Error('telegram update: business message without a business_connection_id')
  }
  return connection
}

function businessMessage(raw: unknown, verb: Verb, ctx: Ctx): NormalizedEvent[] {
  const b = basics(raw, verb)
  if (!b) return []
  const m = raw as Json
  const connection = connectionIdOf(m)
  const author = authorOf(m)
  // A business chat is a private chat of the business account: its id is the other person's user id,
  // so anyone else writing in it is the account owner (or a bot acting for the owner, which sets
  // sender_business_bot — also how our own replies sent through the connection would come back).
  // ⚠ Inferred from the field definitions (the spec's owner rule is from.id == business_connection.user.id,
  // which needs the separate business_connection update); verify against a live account.
  const out = isObject(m.sender_business_bot) || (author.id !== null && author.id !== b.chatId)
  return [
    {
      accountId: ctx.botId ?? '',
      verb,
      kind: 'dm',
      externalThreadId: businessThreadId(connection, b.chatId),
      externalId: businessMessageExternalId(connection, b.chatId, b.messageId),
      parentExternalId: parentOf(m, (mid) => businessMessageExternalId(connection, b.chatId, mid)),
      direction: out ? 'out' : 'in',
      authorName: author.name,
      authorExternalId: author.id,
      text: b.text,
      sentAt: b.sentAt,
    },
  ]
}

function parentOf(m: Json, toExternalId: (messageId: string) => string): string | null {
  const parentId = isObject(m.reply_to_message) ? optId(m.reply_to_message.message_id) : null
  return parentId ? toExternalId(parentId) : null
}

/** Messages removed from a business chat. The update has no time of its own: the time we received it stands in. */
function deletedBusinessMessages(raw: unknown, ctx: Ctx): NormalizedEvent[] {
  if (!isObject(raw) || !isObject(raw.chat) || !Array.isArray(raw.message_ids)) throw new Error('telegram update: unreadable deleted_business_messages')
  const connection = connectionIdOf(raw)
  const chatId = id(raw.chat.id, 'chat.id')
  return raw.message_ids.slice(0, MAX_DELETED).flatMap((v): NormalizedEvent[] => {
    const messageId = optId(v)
    if (messageId === null) return []
    return [
      {
        accountId: ctx.botId ?? '',
        verb: 'delete',
        kind: 'dm',
        externalThreadId: businessThreadId(connection, chatId),
        externalId: businessMessageExternalId(connection, chatId, messageId),
        direction: 'in',
        authorName: '',
        authorExternalId: null,
        text: '',
        sentAt: ctx.receivedAt,
      },
    ]
  })
}
