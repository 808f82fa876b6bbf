// Instagram mentions arrive as ids only (platform-specs.md §3(b)): before they are stored, read the
// comment or caption that mentioned the account through the account's own node,
//   GET /{ig-user-id}?fields=mentioned_comment.comment_id({id}){text,timestamp,username}
//   GET /{ig-user-id}?fields=mentioned_media.media_id({id}){caption,timestamp,username}
// A lookup that fails leaves the placeholder the normalizer wrote; the delivery is never held up long.
import { graphRequest } from '../facebook/graph.ts'
import { metaTime } from '../facebook/payload.ts'
import { name, obj, text } from '../read.ts'
import type { Fetch, NormalizedEvent, OpenChannel } from '../types.ts'
import { parseMentionThread } from './comments.ts'

/** Lookups per delivery and channel; a burst of mentions keeps placeholders beyond this. */
const MAX_LOOKUPS = 20
const LOOKUP_TIMEOUT_MS = 5_000
/** The ids go into a field expansion: digits only, so a hostile id cannot widen the query. */
const NUMERIC = /^\d{1,30}$/

async function lookup(e: NormalizedEvent, channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<NormalizedEvent> {
  const mention = parseMentionThread(e.externalThreadId)
  if (!mention || !NUMERIC.test(mention.mediaId) || (mention.commentId !== undefined && !NUMERIC.test(mention.commentId))) return e
  const onComment = mention.commentId !== undefined
  const fields = onComment
    ? `mentioned_comment.comment_id(${mention.commentId}){text,timestamp,username}`
    : `mentioned_media.media_id(${mention.mediaId}){caption,timestamp,username}`
  const body = await graphRequest({ label: 'Instagram', apiBase, channel, method: 'GET', path: [channel.accountId], query: { fields }, fetch, timeoutMs: LOOKUP_TIMEOUT_MS })
  const found = obj(onComment ? body.mentioned_comment : body.mentioned_media)
  const content = text(onComment ? found?.text : found?.caption)
  if (!content?.trim()) return e
  const username = name(found?.username)
  return { ...e, text: content, authorName: username ? `@${username}` : e.authorName, sentAt: metaTime(found?.timestamp) ?? e.sentAt }
}

export async function enrichInstagram(events: NormalizedEvent[], channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<NormalizedEvent[]> {
  let budget = MAX_LOOKUPS
  return Promise.all(events.map(async (e) => {
    if (e.kind !== 'mention' || e.verb !== 'add' || budget-- <= 0) return e
    try {
      return await lookup(e, channel, apiBase, fetch)
    } catch {
      return e
    }
  }))
}
