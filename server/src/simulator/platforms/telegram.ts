// Telegram in the simulator. The fake Bot API answers getMe, sendMessage and getChatAdministrators at
// /bot<token>/<method> the way api.telegram.org does ({ok:true, result} or {ok:false, error_code,
// description}); the maker builds webhook updates as Telegram posts them, one update per request, with
// the bot's secret token header, and now and then a staff member answers a citizen's group comment
// from their personal account (an admin of the group).
import { DEMO_CHANNELS } from '@tanggap/db/seed'
import { GOVERNMENT_REPLIES } from '../corpus.ts'
import type { ApiAnswer, DeliveryMaker, PlatformApi, SimChannel, SimPost } from '../types.ts'

// ---- fake Bot API ----

/** The bots the fake knows: the demo Telegram channels, by token. */
const BOTS = new Map(
  DEMO_CHANNELS.filter((c) => c.platform === 'telegram' && c.credentials?.botToken).map((c) => [
    c.credentials!.botToken!,
    { id: Number(c.accountId), name: c.name, username: /@(\w+)/.exec(c.name)?.[1] ?? `bot${c.accountId}` },
  ]),
)

const fail = (code: number, description: string): ApiAnswer => ({ status: code, body: { ok: false, error_code: code, description } })
const ok = (result: unknown): ApiAnswer => ({ status: 200, body: { ok: true, result } })

/** Message ids run per chat, as in Telegram. */
const lastMessageId = new Map<string, number>()

function chatIdOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v !== 0) return v
  if (typeof v === 'string' && /^-?[1-9]\d{0,15}$/.test(v)) return Number(v)
  return null
}

/** The demo channel's discussion group and the channel it belongs to (supergroup and channel ids start with -100). */
export const simDiscussionGroupId = (channel: Pick<SimChannel, 'accountId'>): number => Number(`-100${channel.accountId}`)
export const simGovernmentChannelId = (channel: Pick<SimChannel, 'accountId'>): number => Number(`-100${channel.accountId}9`)

/** The people who run every demo discussion group: its owner, and a staff member who answers citizens there under her own name. */
export const SIM_GROUP_OWNER = { id: 5400009001, is_bot: false, first_name: 'Admin', last_name: 'Dishub Tegal', username: 'admin_dishubtegal' }
export const SIM_GROUP_STAFF = { id: 5400009002, is_bot: false, first_name: 'Rina', last_name: 'Kartikasari', username: 'rina_dishub', language_code: 'id' }

/** ChatMemberOwner and ChatMemberAdministrator as getChatAdministrators lists them; the bot must be an admin to read the group. */
function groupAdministrators(bot: { id: number; username: string }) {
  const rights = {
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: true,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: true,
  }
  return [
    { user: SIM_GROUP_OWNER, status: 'creator', is_anonymous: false },
    { user: SIM_GROUP_STAFF, status: 'administrator', can_be_edited: false, is_anonymous: false, ...rights, custom_title: 'Humas Dishub' },
    {
      user: { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username },
      status: 'administrator',
      can_be_edited: false,
      is_anonymous: false,
      ...rights,
    },
  ]
}

export const telegramApi: PlatformApi = (call) => {
  const match = /^\/bot([^/]+)\/(\w+)$/.exec(call.path)
  if (!match) return fail(404, 'Not Found')
  const bot = BOTS.get(decodeURIComponent(match[1]!))
  if (!bot) return fail(401, 'Unauthorized')
  // Parameters may come as JSON, a form or the query string.
  const params = { ...call.query, ...(call.body && typeof call.body === 'object' ? (call.body as Record<string, unknown>) : {}) }
  const from = { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username }
  switch (match[2]) {
    case 'getMe':
      return ok({
        ...from,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: true,
        has_main_web_app: false,
      })
    case 'sendMessage': {
      if (params.chat_id === undefined || params.chat_id === '') return fail(400, 'Bad Request: chat_id is empty')
      const chatId = chatIdOf(params.chat_id)
      if (chatId === null) return fail(400, 'Bad Request: chat not found')
      const text = typeof params.text === 'string' ? params.text : ''
      if (!text.trim()) return fail(400, 'Bad Request: message text is empty')
      if (text.length > 4096) return fail(400, 'Bad Request: message is too long')
      const replyParameters = params.reply_parameters
      if (
        replyParameters !== undefined &&
        (typeof replyParameters !== 'object' || replyParameters === null || !Number.isSafeInteger((replyParameters as { message_id?: unknown }).message_id))
      ) {
        return fail(400, "Bad Request: can't parse reply parameters JSON object")
      }
      const key = `${typeof params.business_connection_id === 'string' ? params.business_connection_id : ''}/${chatId}`
      const messageId = (lastMessageId.get(key) ?? 5000) + 1
      lastMessageId.set(key, messageId)
      const chat = chatId > 0 ? { id: chatId, first_name: 'Warga', type: 'private' } : { id: chatId, title: 'Grup Diskusi', type: 'supergroup' }
      return ok({
        message_id: messageId,
        from,
        chat,
        date: Math.floor(Date.now() / 1000),
        text,
        ...(typeof params.business_connection_id === 'string' ? { business_connection_id: params.business_connection_id, sender_business_bot: from } : {}),
        ...(replyParameters
          ? { reply_to_message: { message_id: (replyParameters as { message_id: number }).message_id, chat, date: Math.floor(Date.now() / 1000) } }
          : {}),
      })
    }
    case 'getChatAdministrators': {
      if (params.chat_id === undefined || params.chat_id === '') return fail(400, 'Bad Request: chat_id is empty')
      const chatId = chatIdOf(params.chat_id)
      if (chatId !== null && chatId > 0) return fail(400, 'Bad Request: there are no administrators in the private chat')
      // The bot knows its own demo group only.
      if (chatId !== simDiscussionGroupId({ accountId: String(bot.id) })) return fail(400, 'Bad Request: chat not found')
      return ok(groupAdministrators(bot))
    }
    default:
      return fail(404, 'Not Found')
  }
}

// ---- delivery maker ----

/** Ids in SimPosts are numeric strings; anything else is hashed to a stable positive integer. */
function int(s: string): number {
  if (/^-?\d{1,15}$/.test(s)) return Number(s)
  let h = 2166136261
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619)
  return h >>> 0 || 1
}

/** Telegram's placeholder sender for anonymous group admins. */
const GROUP_ANONYMOUS_BOT = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' }

function person(post: SimPost) {
  const cut = post.authorName.indexOf(' ')
  return cut > 0 ? { first_name: post.authorName.slice(0, cut), last_name: post.authorName.slice(cut + 1) } : { first_name: post.authorName }
}

let nextUpdateId = Date.now()

/** While a citizen's comment awaits an answer, staff answer it instead of every fourth new comment (chosen by message id, so tests can pick). */
const STAFF_TURN = 4
export const isSimStaffTurn = (post: SimPost): boolean => post.kind === 'comment' && !post.fromAccount && int(post.messageId) % STAFF_TURN === 0

/** Citizens' recent group comments not yet answered by staff, per group, newest last. */
const unanswered = new Map<number, Record<string, unknown>[]>()
const MAX_UNANSWERED = 20

function remember(groupId: number, message: Record<string, unknown>): void {
  const list = unanswered.get(groupId) ?? []
  // reply_to_message is one level deep: a quoted message carries no reply of its own.
  const { reply_to_message: _, ...quoted } = message
  unanswered.set(groupId, [...list.slice(1 - MAX_UNANSWERED), quoted])
}

/** The staff member's answer to the newest unanswered comment, from her personal account. */
function staffAnswer(post: SimPost, question: Record<string, unknown>): Record<string, unknown> {
  const text = GOVERNMENT_REPLIES[int(post.messageId) % GOVERNMENT_REPLIES.length]!
  return {
    message_id: int(post.messageId),
    from: SIM_GROUP_STAFF,
    chat: question.chat,
    date: Math.floor(post.at / 1000),
    ...(question.message_thread_id !== undefined ? { message_thread_id: question.message_thread_id } : {}),
    reply_to_message: question,
    text,
  }
}

function update(post: SimPost, channel: SimChannel): Record<string, unknown> {
  const date = Math.floor(post.at / 1000)
  if (post.kind === 'dm') {
    // Nobody but the citizen writes natively in a chat with a bot.
    if (post.fromAccount) throw new Error('Telegram: staff cannot write natively in a bot chat; only replies sent through Tanggap exist there')
    const user = { id: int(post.authorId), is_bot: false, ...person(post), language_code: 'id' }
    return { message_id: int(post.messageId), from: user, chat: { id: int(post.threadId), ...person(post), type: 'private' }, date, text: post.text }
  }
  const chat = { id: simDiscussionGroupId(channel), title: `Diskusi ${channel.name.replace(/^Telegram\s+/, '')}`, type: 'supergroup' }
  const governmentChannel = { id: simGovernmentChannelId(channel), title: channel.name.replace(/^Telegram\s+/, ''), type: 'channel' }
  // The thread is a post of the government's channel; a comment answers it (or, with parentId, another comment).
  const replyTo =
    post.parentId && post.parentId !== post.threadId
      ? { message_id: int(post.parentId), from: { id: 1, is_bot: false, first_name: 'Warga' }, chat, date: date - 60, text: '…' }
      : {
          message_id: int(post.threadId),
          sender_chat: governmentChannel,
          is_automatic_forward: true,
          chat,
          date: date - 3600,
          text: 'Informasi terbaru dari kami.',
        }
  const question = isSimStaffTurn(post) ? unanswered.get(chat.id)?.pop() : undefined
  if (question) return staffAnswer(post, question)
  const author = post.fromAccount
    ? { from: GROUP_ANONYMOUS_BOT, sender_chat: chat }
    : { from: { id: int(post.authorId), is_bot: false, ...person(post), language_code: 'id' } }
  const message = { message_id: int(post.messageId), ...author, chat, date, message_thread_id: int(post.threadId), reply_to_message: replyTo, text: post.text }
  if (!post.fromAccount) remember(chat.id, message)
  return message
}

export const telegramMaker: DeliveryMaker = {
  platform: 'telegram',
  kinds: ['dm', 'comment'],
  make(channel, posts) {
    if (posts.length !== 1) throw new Error('Telegram posts one update per webhook request')
    const secret = channel.credentials.secretToken
    if (!secret) throw new Error(`channel ${channel.accountId} has no secretToken`)
    const body = JSON.stringify({ update_id: nextUpdateId++, message: update(posts[0]!, channel) })
    return {
      method: 'POST',
      path: `/webhooks/telegram/${channel.accountId}`,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body,
    }
  },
}
