// Instagram comments (fields "comments" and "live_comments") and mentions (field "mentions"),
// platform-specs.md §3. A comment thread is its top-level comment: a reply names it in parent_id
// (Instagram keeps one level of replies). The payload has no time of its own: entry.time (seconds)
// is the best the webhook gives.
import type { Outcome } from '../facebook/outcome.ts'
import { id } from '../facebook/payload.ts'
import { cutText, name, obj, text, type Json } from '../read.ts'

export const UNKNOWN_IG_AUTHOR = 'Pengguna Instagram'

export function commentChange(accountId: string, value: Json, entryMs: number, out: Outcome): void {
  const commentId = id(value.id)
  if (!commentId) {
    out.problems.push('Instagram comment without id')
    return
  }
  const from = obj(value.from)
  const authorId = id(from?.id)
  const username = name(from?.username)
  const parentId = id(value.parent_id)
  // ⚠ The account's own comments (typed in the Instagram app too) are reported with from.id ==
  // entry.id in a vendor's sample; Meta's reference does not say so.
  const ours = authorId === accountId
  // The account's own top-level comment answers no one; citizens replying under it start that thread.
  if (ours && !parentId) return
  const body = text(value.text)
  out.events.push({
    accountId,
    verb: 'add',
    kind: 'comment',
    externalThreadId: parentId ?? commentId,
    externalId: commentId,
    parentExternalId: parentId ?? null,
    direction: ours ? 'out' : 'in',
    authorName: username ? `@${username}` : UNKNOWN_IG_AUTHOR,
    authorExternalId: authorId ?? null,
    text: body?.trim() ? body : '[komentar tanpa teks]',
    sentAt: entryMs,
  })
}

/** The thread of a mention names the media and comment, which a reply to it must give back. */
export const mentionThread = (mediaId: string, commentId: string | undefined) => `mention:${mediaId}${commentId ? `:${commentId}` : ''}`

export function parseMentionThread(thread: string): { mediaId: string; commentId?: string } | undefined {
  const m = /^mention:([^:]+)(?::(.+))?$/.exec(thread)
  return m ? { mediaId: m[1]!, ...(m[2] ? { commentId: m[2] } : {}) } : undefined
}

/**
 * The account was @-mentioned in a comment or caption on someone else's media. The webhook carries
 * ids only: the text is read by enrich.ts before storing; until then (or if that lookup fails) the
 * message says so in the inbox's language.
 */
export function mentionChange(accountId: string, value: Json, entryMs: number, out: Outcome): void {
  const mediaId = id(value.media_id)
  const commentId = id(value.comment_id)
  if (!mediaId) {
    out.problems.push('Instagram mention without media_id')
    return
  }
  const where = commentId ? `dalam komentar (ID komentar ${commentId}, ID media ${mediaId})` : `dalam keterangan kiriman (ID media ${mediaId})`
  out.events.push({
    accountId,
    verb: 'add',
    kind: 'mention',
    externalThreadId: mentionThread(mediaId, commentId),
    externalId: commentId ?? mediaId,
    direction: 'in',
    authorName: UNKNOWN_IG_AUTHOR,
    authorExternalId: null,
    text: cutText(`[Akun ini disebut (mention) ${where}. Isinya belum diambil otomatis; buka Instagram untuk membacanya.]`),
    sentAt: entryMs,
  })
}
