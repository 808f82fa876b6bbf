// Instagram mentions arrive as ids only (platform-specs.md §3(b)): before they are stored, read the
// comment or caption that mentioned the account through the account's own node,
//   GET /{ig-user-id}?fields=mentioned_comment.comment_id({id}){text,timestamp,username}
//   GET /{ig-user-id}?fields=mentioned_media.media_id({id}){caption,timestamp,username}
// Direct messages name the citizen by IGSID only: their name comes from ../meta/profiles.ts.
// A lookup that fails leaves the placeholder the normalizer wrote; the delivery is never held up long.
import { graphRequest } from '../facebook/graph.ts'
import { metaTime } from '../facebook/payload.ts'
import { name, obj, text } from '../read.ts'
import { INSTAGRAM_PROFILE, withProfileNames } from '../meta/profiles.ts'
import type { EnrichContext, Fetch, NormalizedEvent, OpenChannel } from '../types.ts'
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
  const body = await graphRequest({
    label: 'Instagram',
    apiBase,
    channel,
    method: 'GET',
    path: [channel.accountId],
    query: { fields },
    fetch,
    timeoutMs: LOOKUP_TIMEOUT_MS,
  })
  const found = obj(onComment ? body.mentioned_comment : body.mentioned_media)
  const content = text(onComment ? found?.text : found?.caption)
  if (!content?.trim()) return e
  const username = name(found?.username)
  return { ...e, text: content, authorName: username ? `@${username}` : e.authorName, sentAt: metaTime(found?.timestamp) ?? e.sentAt }
}

/** A new mention: its text is still to be read. */
export const wantsMentionText = (e: NormalizedEvent): boolean => e.kind === 'mention' && e.verb === 'add'

export async function enrichInstagram(
  events: NormalizedEvent[],
  channel: OpenChannel,
  apiBase: string,
  fetch: Fetch,
  ctx: EnrichContext,
): Promise<NormalizedEvent[]> {
  let budget = MAX_LOOKUPS
  const named = await withProfileNames(INSTAGRAM_PROFILE, events, channel, apiBase, fetch, ctx)
  return Promise.all(
    named.map(async (e) => {
      if (!wantsMentionText(e) || budget-- <= 0) return e
      try {
        return await lookup(e, channel, apiBase, fetch)
      } catch {
        return e
      }
    }),
  )
}
