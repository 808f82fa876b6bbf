// comment.update events (platform-specs.md §8.1): a comment or reply was created, deleted or changed
// visibility on one of the account's videos.
//
// ⚠ The webhook's `content` is only partly documented: comment_id, video_id, parent_comment_id,
// comment_type ("comment" | "reply"), comment_action, unique_identifier, timestamp (ms). Whether it
// carries `text` is disputed, and `owner`/`username` are documented on comment/list objects, not on
// the webhook; we use them when present and otherwise write placeholders, which enrich.ts replaces
// with what comment/list says before the events are stored (they stay when that lookup fails).
import { epochMs, text, type Json } from '../read.ts'
import type { NormalizedEvent } from '../types.ts'
import { idOf, nameOf } from './formats.ts'
import { commentThreadId } from './thread.ts'

/** Shown when the webhook carries no comment text (see ⚠ above) and comment/list could not supply it. */
export const MISSING_COMMENT_TEXT = '[Isi komentar tidak disertakan TikTok — buka komentar ini di TikTok]'
export const UNKNOWN_COMMENTER = 'Pengguna TikTok'
export const OWN_ACCOUNT = 'Akun TikTok instansi'

/**
 * Comments whose webhook named no time of its own (sentAt is then the envelope's or the arrival
 * time), so enrich.ts may take comment/list's create_time instead. Kept beside the event, not on it:
 * NormalizedEvent is shared by every connector.
 */
const untimed = new WeakSet<NormalizedEvent>()
export const hasOwnTime = (e: NormalizedEvent): boolean => !untimed.has(e)

/** A parent id that means "no parent": absent, zero, or the comment/video itself. */
function parentOf(c: Json, commentId: string, videoId: string | undefined): string | undefined {
  const parent = idOf(c.parent_comment_id)
  return parent && parent !== '0' && parent !== commentId && parent !== videoId ? parent : undefined
}

export function normalizeComment(accountId: string, c: Json, fallbackTime: number): NormalizedEvent[] {
  const action = typeof c.comment_action === 'string' ? c.comment_action.toLowerCase() : undefined
  if (action === undefined) throw new Error('TikTok comment event without comment_action')
  // set_to_hidden / set_to_friends_only / set_to_public change who sees it, not what it says.
  if (action !== 'insert' && action !== 'delete') return []

  const commentId = idOf(c.comment_id)
  if (!commentId) throw new Error(`TikTok comment ${action} without a usable comment_id`)
  const videoId = idOf(c.video_id)
  const parent = parentOf(c, commentId, videoId)
  const isReply = parent !== undefined && c.comment_type !== 'comment'
  const ownTime = epochMs(c.timestamp) ?? epochMs(c.create_time)
  const sentAt = ownTime ?? fallbackTime
  const authorId = idOf(c.unique_identifier) ?? idOf(c.user_id) ?? null
  // ⚠ owner: true marks the account's own comment (native or via API); an author id equal to the account is the same fact.
  const own = c.owner === true || c.owner === 'true' || (authorId !== null && authorId === accountId)
  const base = {
    accountId,
    kind: 'comment' as const,
    externalId: commentId,
    parentExternalId: isReply ? parent : null,
    direction: own ? ('out' as const) : ('in' as const),
    authorName: nameOf(c.username) ?? nameOf(c.display_name) ?? nameOf(c.nickname) ?? (own ? OWN_ACCOUNT : UNKNOWN_COMMENTER),
    authorExternalId: authorId,
    sentAt,
  }

  if (action === 'delete') {
    // Only the comment id matters for a deletion; the thread is filled in as well as we can.
    const thread = videoId ? commentThreadId(videoId, isReply ? parent : commentId) : commentId
    return [{ ...base, verb: 'delete', externalThreadId: thread, text: '' }]
  }
  if (!videoId) throw new Error(`TikTok comment ${commentId} without a usable video_id (needed to reply)`)
  // TikTok shows replies flat under their top-level comment, so the parent is the thread root. ⚠ A reply to a reply may name the reply it answers.
  const thread = commentThreadId(videoId, isReply ? parent : commentId)
  const event: NormalizedEvent = { ...base, verb: 'add', externalThreadId: thread, text: text(c.text) ?? MISSING_COMMENT_TEXT }
  if (ownTime === undefined) untimed.add(event)
  return [event]
}
