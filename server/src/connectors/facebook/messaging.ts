// Messenger-format events (entry[].messaging[] and standby[]), shared by Facebook Messenger and
// Instagram Direct (platform-specs.md §2, §4): a message is a citizen's DM, or, with is_echo / the
// account as sender, the account's own reply (from the native inbox, another tool, or our own send,
// whose echo carries the mid we stored and is deduped by it). Reads, deliveries, postbacks, reactions
// and referrals carry no text to answer and are ignored.
import { cutText, list, obj, str, text, type Json } from '../read.ts'
import type { Outcome } from './outcome.ts'
import { id, metaTime } from './payload.ts'

export interface MessagingLabels {
  /** Webhooks carry only the page-scoped id, never a name: what to call the citizen. */
  citizen: string
  /** What to call the account when it replied natively (echoes carry no name either). */
  account: (appId: string | undefined) => string
}

/** Bracketed descriptions for messages without text, in the inbox's language. */
const ATTACHMENT_LABEL = new Map<string, string>(
  Object.entries({
    image: '[gambar]',
    video: '[video]',
    audio: '[pesan suara]',
    file: '[berkas]',
    location: '[lokasi]',
    fallback: '[tautan]',
    template: '[templat]',
    share: '[kiriman dibagikan]',
    story_mention: '[menyebut akun ini di story]',
    ig_reel: '[reel]',
    reel: '[reel]',
    animated_image: '[GIF]',
    animated_gif: '[GIF]',
    like_heart: '[❤️]',
    unsupported_type: '[lampiran tidak didukung]',
  }),
)

/** Messenger's thumbs-up "like" sticker in its three sizes. */
const LIKE_STICKERS = new Set(['369239263222822', '369239343222814', '369239383222810'])

function attachmentLabel(a: unknown): string {
  const att = obj(a)
  const type = str(att?.type) ?? ''
  // A sticker arrives as an image whose payload names the sticker.
  const sticker = obj(att?.payload)?.sticker_id
  if (type === 'image' && sticker !== undefined) return LIKE_STICKERS.has(id(sticker) ?? '') ? '[👍]' : '[stiker]'
  // A Map, not an object literal: a hostile type such as "constructor" must not find Object's members.
  return ATTACHMENT_LABEL.get(type) ?? '[lampiran]'
}

/** A bare 👍 or ❤️ thanks the account; it asks nothing, so it must not reopen an answered thread. */
function isBareLike(message: Json): boolean {
  if (text(message.text)?.trim()) return false
  const attachments = list(message.attachments) ?? []
  return (
    attachments.length > 0 &&
    attachments.every((a) => {
      const att = obj(a)
      return str(att?.type) === 'like_heart' || LIKE_STICKERS.has(id(obj(att?.payload)?.sticker_id) ?? '')
    })
  )
}

/** The message's text, with what it carries besides text described in brackets. */
export function messageText(message: Json): string {
  const parts: string[] = []
  const body = text(message.text)
  if (body?.trim()) parts.push(body)
  const labels = (list(message.attachments) ?? []).slice(0, 20).map(attachmentLabel)
  parts.push(...new Set(labels))
  if (obj(obj(message.reply_to)?.story)) parts.push('[membalas story]')
  if (!parts.length) parts.push(message.is_unsupported === true ? '[pesan tidak didukung]' : '[pesan tanpa teks]')
  return cutText(parts.join(' '))
}

/** One messaging (or standby) event of an entry. */
function messagingEvent(m: Json, entryAccount: string | undefined, fallbackMs: number, labels: MessagingLabels, out: Outcome): void {
  const message = obj(m.message)
  const edit = obj(m.message_edit)
  if (!message && !edit) return
  const sender = id(obj(m.sender)?.id)
  const recipient = id(obj(m.recipient)?.id)
  const mid = id((message ?? edit)?.mid)
  const echo = message?.is_echo === true || (sender !== undefined && sender === entryAccount)
  const accountId = entryAccount ?? (echo ? sender : recipient)
  const citizen = echo ? recipient : sender
  if (!mid || !accountId || !citizen) {
    out.problems.push('messaging event without message id, account or citizen id')
    return
  }
  const appId = id(message?.app_id)
  const base = {
    accountId,
    kind: 'dm' as const,
    externalThreadId: citizen,
    externalId: mid,
    direction: echo ? ('out' as const) : ('in' as const),
    authorName: echo ? labels.account(appId) : `${labels.citizen} …${citizen.slice(-4)}`,
    authorExternalId: echo ? accountId : citizen,
    sentAt: metaTime(m.timestamp) ?? fallbackMs,
  }
  if (edit) {
    const t = text(edit.text)
    if (t !== undefined) out.events.push({ ...base, verb: 'edit', text: t })
    return
  }
  // The citizen unsent it.
  if (message!.is_deleted === true) {
    out.events.push({ ...base, verb: 'delete', text: '' })
    return
  }
  out.events.push({
    ...base,
    verb: 'add',
    text: messageText(message!),
    parentExternalId: id(obj(message!.reply_to)?.mid) ?? null,
    ...(!echo && isBareLike(message!) ? { needsResponse: false } : {}),
  })
}

/** Every messaging and standby (another app holds the thread) event of an entry. */
export function messagingEvents(entry: Json, entryAccount: string | undefined, fallbackMs: number, labels: MessagingLabels, out: Outcome): void {
  const entryMs = metaTime(entry.time) ?? fallbackMs
  for (const m of [...(list(entry.messaging) ?? []), ...(list(entry.standby) ?? [])]) {
    const event = obj(m)
    if (event) messagingEvent(event, entryAccount, entryMs, labels, out)
  }
}
