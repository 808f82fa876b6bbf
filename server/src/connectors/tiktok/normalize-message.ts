// Business Messaging DM events (platform-specs.md §8.2): im_receive_msg (a citizen wrote to the
// account) and im_send_msg (the account wrote — the echo of our own send, or a reply typed in the
// TikTok app). Content fields follow Chatwoot's reader: conversation_id, message_id, timestamp (ms),
// type, text.body, from, from_user.id, to, to_user.id, referenced_message_info.
import { epochMs, field, text, type Json } from '../read.ts'
import type { NormalizedEvent } from '../types.ts'
import { idOf, nameOf } from './formats.ts'
import { OWN_ACCOUNT, UNKNOWN_COMMENTER } from './normalize-comment.ts'

/** What a non-text message shows in the inbox (the media itself stays on TikTok). */
function bodyOf(c: Json): string {
  const type = typeof c.type === 'string' ? c.type.toLowerCase().slice(0, 40) : 'text'
  switch (type) {
    case 'text':
      return text(field(c, 'text', 'body')) ?? text(c.text) ?? '[Pesan tanpa teks]'
    case 'image':
      return '[Gambar]'
    case 'sticker':
      return '[Stiker]'
    case 'share_post': {
      const url = text(field(c, 'share_post', 'embed_url'), 500)
      return url ? `[Membagikan video] ${url}` : '[Membagikan video]'
    }
    default:
      return `[Pesan jenis ${type}]`
  }
}

export function normalizeMessage(accountId: string, event: 'im_receive_msg' | 'im_send_msg', c: Json, fallbackTime: number): NormalizedEvent[] {
  const messageId = idOf(c.message_id)
  if (!messageId) throw new Error(`TikTok ${event} without a usable message_id`)
  const fromId = idOf(field(c, 'from_user', 'id')) ?? null
  const toId = idOf(field(c, 'to_user', 'id')) ?? null
  const own = event === 'im_send_msg' || (fromId !== null && fromId === accountId)
  const citizenId = own ? toId : fromId
  const conversation = idOf(c.conversation_id) ?? citizenId
  if (!conversation) throw new Error(`TikTok ${event} ${messageId} without a conversation_id`)
  return [
    {
      accountId,
      verb: 'add',
      kind: 'dm',
      externalThreadId: conversation,
      externalId: messageId,
      parentExternalId: idOf(field(c, 'referenced_message_info', 'referenced_message_id')) ?? null,
      direction: own ? 'out' : 'in',
      authorName: nameOf(c.from) ?? (own ? OWN_ACCOUNT : UNKNOWN_COMMENTER),
      authorExternalId: fromId,
      text: bodyOf(c),
      sentAt: epochMs(c.timestamp) ?? fallbackTime,
    },
  ]
}
