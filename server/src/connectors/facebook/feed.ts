// Facebook Page feed comments (field "feed", item "comment") and Page mentions (field "mention"),
// platform-specs.md §1. A comment thread is its top-level comment: parent_id == post_id marks a
// top-level comment, any other parent_id is the top-level comment it answers (Facebook keeps two
// levels). The Page's own comment (from.id == the Page id) is a government reply.
import { cutText, name, obj, str, text, type Json } from '../read.ts'
import type { NormalizedEvent } from '../types.ts'
import type { Outcome } from './outcome.ts'
import { id, metaTime } from './payload.ts'

/** Used when Facebook leaves out the author (it shows `from` only to Page-token holders). */
export const UNKNOWN_FB_AUTHOR = 'Pengguna Facebook'

// A Map, not an object literal: a hostile verb such as "constructor" must not find Object's members.
const VERBS = new Map<string, NormalizedEvent['verb']>([
  ['add', 'add'],
  ['edited', 'edit'],
  ['edit', 'edit'],
  ['remove', 'delete'],
])

/** Comment text, with a photo or video it carries named in brackets. */
function commentText(value: Json): string {
  const parts: string[] = []
  const body = text(value.message)
  if (body?.trim()) parts.push(body)
  if (str(value.photo)) parts.push('[gambar]')
  if (str(value.video)) parts.push('[video]')
  return cutText(parts.join(' ') || '[komentar tanpa teks]')
}

/** The author: today's `from {id, name}`, or the older `sender_id` / `sender_name`. */
function authorOf(value: Json): { id: string | undefined; name: string | undefined } {
  const from = obj(value.from)
  return { id: id(from?.id) ?? id(value.sender_id), name: name(from?.name) ?? name(value.sender_name) }
}

/** created_time is when the comment was written; an edit or removal happened when the entry was sent. */
const timeOf = (verb: NormalizedEvent['verb'], value: Json, entryMs: number): number => (verb === 'add' ? (metaTime(value.created_time) ?? entryMs) : entryMs)

export function feedChange(pageId: string, value: Json, entryMs: number, out: Outcome): void {
  // Posts, likes, reactions, shares and Page status updates are not questions to answer.
  if (value.item !== 'comment') return
  // hide/unhide is moderation by the Page: the comment is still there and still the citizen's, so nothing changes.
  const verb = VERBS.get(str(value.verb) ?? '')
  if (!verb) return
  const commentId = id(value.comment_id)
  if (!commentId) {
    out.problems.push('feed comment without comment_id')
    return
  }
  const postId = id(value.post_id)
  const parentId = id(value.parent_id)
  const root = !parentId || parentId === postId ? commentId : parentId
  const author = authorOf(value)
  const ours = author.id === pageId
  // The Page's own top-level comment answers no one; citizens replying under it start that thread.
  if (verb === 'add' && ours && root === commentId) return
  out.events.push({
    accountId: pageId,
    verb,
    kind: 'comment',
    externalThreadId: root,
    externalId: commentId,
    parentExternalId: parentId ?? null,
    direction: ours ? 'out' : 'in',
    authorName: author.name ?? UNKNOWN_FB_AUTHOR,
    authorExternalId: author.id ?? null,
    text: verb === 'delete' ? '' : commentText(value),
    sentAt: timeOf(verb, value, entryMs),
  })
}

/** The Page was @-mentioned in someone's post or comment: a thread of its own. */
export function mentionChange(pageId: string, value: Json, entryMs: number, out: Outcome): void {
  const verb = VERBS.get(str(value.verb) ?? '')
  if (!verb) return
  const item = str(value.item)
  const mentionId = item === 'comment' ? id(value.comment_id) : item === 'post' || item === 'status' ? id(value.post_id) : undefined
  if (!mentionId) {
    if (item === 'comment' || item === 'post') out.problems.push(`mention of a ${item} without its id`)
    return
  }
  const author = authorOf(value)
  if (author.id === pageId) return
  out.events.push({
    accountId: pageId,
    verb,
    kind: 'mention',
    externalThreadId: mentionId,
    externalId: mentionId,
    direction: 'in',
    authorName: author.name ?? UNKNOWN_FB_AUTHOR,
    authorExternalId: author.id ?? null,
    text: verb === 'delete' ? '' : commentText(value),
    sentAt: timeOf(verb, value, entryMs),
  })
}
