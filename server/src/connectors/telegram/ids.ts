// How Telegram identities become our string ids. A message_id is unique only within its chat, so a
// message is `${chat.id}:${message_id}`; a Telegram Business chat is seen through one business
// connection, so its messages carry the connection too (platform-specs.md §6 (d)). Ids stay strings
// from here on: chat ids reach 52 bits and are negative for groups.

const BUSINESS = 'biz'

/** Telegram ids have at most 52 significant bits, so a JSON number holds them exactly; anything else is not an id. */
export const optId = (v: unknown): string | null => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null)

export function id(v: unknown, what: string): string {
  const s = optId(v)
  if (s === null) throw new Error(`telegram update: ${what} is not an integer id`)
  return s
}

export const messageExternalId = (chatId: string, messageId: string): string => `${chatId}:${messageId}`

/** A group thread: the chat and the message that roots the reply chain. */
export const groupThreadId = (chatId: string, rootMessageId: string): string => `${chatId}:${rootMessageId}`

export const businessThreadId = (connectionId: string, chatId: string): string => `${BUSINESS}:${connectionId}:${chatId}`

export const businessMessageExternalId = (connectionId: string, chatId: string, messageId: string): string =>
  `${BUSINESS}:${connectionId}:${chatId}:${messageId}`

/** Where a reply goes, read back from the ids above. */
export interface ReplyTarget {
  chatId: string
  businessConnectionId: string | null
  /** The citizen message to quote, when it is in the same chat. */
  replyToMessageId: string | null
}

const INT = /^-?\d{1,16}$/

/** Reads the target chat from the thread id and the quoted message from the latest citizen message's id; null when the thread id is not ours. */
export function replyTargetOf(externalThreadId: string, replyToExternalId: string | null): ReplyTarget | null {
  let chatId: string
  let businessConnectionId: string | null = null
  if (externalThreadId.startsWith(`${BUSINESS}:`)) {
    // biz:<connection>:<chat>; the connection id is opaque, so the chat is read from the right.
    const rest = externalThreadId.slice(BUSINESS.length + 1)
    const cut = rest.lastIndexOf(':')
    if (cut <= 0) return null
    businessConnectionId = rest.slice(0, cut)
    chatId = rest.slice(cut + 1)
  } else {
    chatId = externalThreadId.split(':')[0]!
  }
  if (!INT.test(chatId)) return null
  let replyToMessageId: string | null = null
  if (replyToExternalId) {
    const cut = replyToExternalId.lastIndexOf(':')
    const prefix = replyToExternalId.slice(0, cut)
    const expected = businessConnectionId === null ? chatId : `${BUSINESS}:${businessConnectionId}:${chatId}`
    const messageId = replyToExternalId.slice(cut + 1)
    if (cut > 0 && prefix === expected && INT.test(messageId)) replyToMessageId = messageId
  }
  return { chatId, businessConnectionId, replyToMessageId }
}
