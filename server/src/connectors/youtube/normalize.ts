// A stored YouTube poll page → platform-neutral events. Pages are commentThreads.list responses
// (top-level comments with some of their replies) or comments.list responses (more replies of one
// thread), kept verbatim as YouTube sent them.
//
// What polling cannot show: deletions (a removed comment simply stops appearing, which looks the
// same as a comment that fell off the newest pages), so no 'delete' events are made. Edits are seen
// as updatedAt > publishedAt on a comment we may already hold.
import { clip, cutText, isObject, MAX_NAME, name, str, text, type Json } from '../read.ts'
import type { NormalizedEvent, Normalizer } from '../types.ts'
import { htmlToText, isId, parseJson, parseTime, requireId, requireObject } from './formats.ts'

/** A page has at most 100 items (maxResults); anything far beyond that is not YouTube's. */
const MAX_ITEMS = 1000
const MAX_REPLIES = 1000

interface ThreadContext {
  threadId: string
  /** The channel the thread belongs to (the government's): its own comments are replies from us. */
  channelId: string | undefined
}

// textOriginal is what the author typed; textDisplay may be HTML (and is all we get when
// textOriginal is not "accessible to the viewer"): never store HTML.
function textOf(snippet: Json): string {
  const display = str(snippet.textDisplay)
  return text(snippet.textOriginal) ?? (display === undefined ? '' : cutText(htmlToText(display)))
}

function authorChannelOf(snippet: Json): string | null {
  const a = snippet.authorChannelId
  // Documented as {value}; a bare string is accepted too.
  const v = isObject(a) ? a.value : a
  return isId(v) ? v : null
}

function commentEvents(comment: Json, t: ThreadContext, where: string): NormalizedEvent[] {
  const id = requireId(comment, 'id', where)
  const snippet = requireObject(comment, 'snippet', `${where} ${id}`)
  const sentAt = parseTime(snippet.publishedAt)
  if (sentAt === undefined) throw new Error(`YouTube ${where} ${id}: publishedAt is missing or not an RFC 3339 time`)
  const channelId = t.channelId ?? (isId(snippet.channelId) ? snippet.channelId : undefined)
  const author = authorChannelOf(snippet)
  const text = textOf(snippet)
  const parentId = isId(snippet.parentId) ? snippet.parentId : null
  const base = {
    accountId: channelId ?? '',
    kind: 'comment' as const,
    externalThreadId: t.threadId,
    externalId: id,
    parentExternalId: id === t.threadId ? null : (parentId ?? t.threadId),
    // Own replies: the channel's own account wrote it, wherever it was typed (Studio, app or API).
    direction: author !== null && author === channelId ? ('out' as const) : ('in' as const),
    // Replies embedded in a thread may come without a display name.
    authorName: name(snippet.authorDisplayName) ?? clip(author || 'YouTube', MAX_NAME),
    authorExternalId: author,
    text,
  }
  const events: NormalizedEvent[] = [{ ...base, verb: 'add', sentAt }]
  const updatedAt = parseTime(snippet.updatedAt)
  // The add is skipped for a comment we hold; the edit then replaces its text and keeps the old one.
  if (updatedAt !== undefined && updatedAt > sentAt) events.push({ ...base, verb: 'edit', sentAt: updatedAt })
  return events
}

function threadEvents(thread: Json, index: number): NormalizedEvent[] {
  const where = `thread ${index}`
  const snippet = requireObject(thread, 'snippet', where)
  const top = requireObject(snippet, 'topLevelComment', where)
  // The thread id equals its top-level comment's id.
  const threadId = isId(thread.id) ? thread.id : requireId(top, 'id', `${where} topLevelComment`)
  const topSnippet = isObject(top.snippet) ? top.snippet : {}
  const channelId = isId(snippet.channelId) ? snippet.channelId : isId(topSnippet.channelId) ? topSnippet.channelId : undefined
  const t: ThreadContext = { threadId, channelId }
  const events = commentEvents(top, t, `${where} topLevelComment`)
  const replies = isObject(thread.replies) ? thread.replies.comments : undefined
  if (replies === undefined) return events
  if (!Array.isArray(replies) || replies.length > MAX_REPLIES) throw new Error(`YouTube ${where}: replies.comments is not a list of comments`)
  replies.forEach((reply, i) => {
    if (!isObject(reply)) throw new Error(`YouTube ${where} reply ${i} is not an object`)
    events.push(...commentEvents(reply, t, `${where} reply`))
  })
  return events
}

/** One item of a comments.list page: a reply (its thread is its parent) or a top-level comment. */
function listedCommentEvents(comment: Json, index: number): NormalizedEvent[] {
  const where = `comment ${index}`
  const snippet = requireObject(comment, 'snippet', where)
  const threadId = isId(snippet.parentId) ? snippet.parentId : requireId(comment, 'id', where)
  // ⚠ The comments resource documents snippet.channelId, but a reply listed alone carries no thread
  // to take it from: a reply without it cannot be recognised as the channel's own.
  return commentEvents(comment, { threadId, channelId: undefined }, where)
}

export const normalizeYoutube: Normalizer = (delivery) => {
  const body = parseJson(delivery.rawBody, 'page')
  if (!isObject(body)) throw new Error('YouTube page is not a JSON object')
  // A response of another kind (no items) carries nothing to ingest.
  if (body.items === undefined) return []
  const items = body.items
  if (!Array.isArray(items)) throw new Error('YouTube page: items is not a list')
  if (items.length > MAX_ITEMS) throw new Error(`YouTube page: ${items.length} items is more than a page can hold`)
  const listKind = str(body.kind)
  const events: NormalizedEvent[] = []
  items.forEach((item, i) => {
    if (!isObject(item)) throw new Error(`YouTube page: item ${i} is not an object`)
    const kind =
      item.kind ??
      (listKind === 'youtube#commentThreadListResponse' ? 'youtube#commentThread' : listKind === 'youtube#commentListResponse' ? 'youtube#comment' : undefined)
    if (kind === 'youtube#commentThread') events.push(...threadEvents(item, i))
    else if (kind === 'youtube#comment') events.push(...listedCommentEvents(item, i))
    // Other kinds are not comments: ignored.
  })
  return events
}
