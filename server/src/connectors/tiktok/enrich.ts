// comment.update webhooks may carry no text (⚠ disputed, platform-specs.md §8.1b: "Always fetch the
// comment via comment/list?comment_ids=[…]"), and never document username or owner. Before the events
// are stored, a comment with placeholder text or an unknown author is read from comment/list: the ids
// of one video go together, up to 30 per call. The list fills in text, author and owner (owner: true is
// the account's own comment, a government reply); the webhook's own time stays unless it had none. A
// comment the list does not return (deleted meanwhile) keeps its placeholder; when every call fails the
// error is thrown, and the deliveries service keeps the events as delivered.
import type { Fetch, NormalizedEvent, OpenChannel } from '../types.ts'
import { COMMENT_LIST_MAX_IDS, listComments, type ListedComment } from './comment-list.ts'
import { hasOwnTime, MISSING_COMMENT_TEXT, OWN_ACCOUNT, UNKNOWN_COMMENTER } from './normalize-comment.ts'
import { parseCommentThreadId } from './thread.ts'

/** Calls per channel and delivery; comments beyond them keep their placeholders. */
const MAX_CALLS = 10
/** A delivery waits for these lookups, so they give up sooner than a send. */
const LOOKUP_TIMEOUT_MS = 5_000
/** TikTok's comment and video ids are decimal; anything else cannot be looked up. */
const DIGITS = /^\d{1,30}$/

const needsLookup = (e: NormalizedEvent): boolean =>
  (e.platform === undefined || e.platform === 'tiktok') &&
  e.kind === 'comment' &&
  (e.verb === 'add' || e.verb === 'edit') &&
  (e.text === MISSING_COMMENT_TEXT || !e.text.trim() || e.authorExternalId === null || e.authorName === UNKNOWN_COMMENTER)

/** The video to ask about, when the event can be looked up at all. */
function videoOf(e: NormalizedEvent): string | undefined {
  if (!needsLookup(e) || !DIGITS.test(e.externalId)) return undefined
  const videoId = parseCommentThreadId(e.externalThreadId)?.videoId
  return videoId && DIGITS.test(videoId) ? videoId : undefined
}

/** The comment ids to look up, per video, in calls of at most 30. */
function batchesOf(events: NormalizedEvent[]): { videoId: string; commentIds: string[] }[] {
  const byVideo = new Map<string, Set<string>>()
  for (const e of events) {
    const videoId = videoOf(e)
    if (videoId) byVideo.set(videoId, (byVideo.get(videoId) ?? new Set()).add(e.externalId))
  }
  return [...byVideo].flatMap(([videoId, ids]) => {
    const all = [...ids]
    return Array.from({ length: Math.ceil(all.length / COMMENT_LIST_MAX_IDS) }, (_, i) => ({
      videoId,
      commentIds: all.slice(i * COMMENT_LIST_MAX_IDS, (i + 1) * COMMENT_LIST_MAX_IDS),
    }))
  })
}

function fillIn(e: NormalizedEvent, c: ListedComment, accountId: string): NormalizedEvent {
  const authorId = c.authorId ?? e.authorExternalId
  // As in normalize-comment.ts: owner: true or the account as author is ours; without an owner flag the webhook's view stands.
  const own = c.owner === true || (authorId !== null && authorId === accountId) || (c.owner === undefined && e.direction === 'out')
  const placeholderName = e.authorName === UNKNOWN_COMMENTER || e.authorName === OWN_ACCOUNT
  return {
    ...e,
    text: c.text ?? e.text,
    authorName: c.username ?? (placeholderName ? (own ? OWN_ACCOUNT : UNKNOWN_COMMENTER) : e.authorName),
    authorExternalId: authorId,
    direction: own ? 'out' : 'in',
    sentAt: hasOwnTime(e) ? e.sentAt : (c.createdAt ?? e.sentAt),
  }
}

export async function enrichTiktok(events: NormalizedEvent[], channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<NormalizedEvent[]> {
  const batches = batchesOf(events).slice(0, MAX_CALLS)
  if (!batches.length) return events
  const accessToken = channel.credentials.accessToken
  if (!accessToken) throw new Error('The TikTok channel has no access token; comment text cannot be fetched')
  const results = await Promise.allSettled(
    batches.map((b) =>
      listComments({ apiBase, fetch, accessToken, businessId: channel.accountId, videoId: b.videoId, commentIds: b.commentIds, timeoutMs: LOOKUP_TIMEOUT_MS }),
    ),
  )
  const found = new Map<string, { videoId: string; comment: ListedComment }>()
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') for (const [id, comment] of r.value) found.set(id, { videoId: batches[i]!.videoId, comment })
  })
  // Nothing answered: let the service log why; partial answers are used and the rest keep their placeholders.
  const first = results[0]!
  if (first.status === 'rejected' && results.every((r) => r.status === 'rejected')) throw first.reason
  return events.map((e) => {
    const hit = found.get(e.externalId)
    return hit && videoOf(e) === hit.videoId ? fillIn(e, hit.comment, channel.accountId) : e
  })
}
