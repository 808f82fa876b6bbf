// Replies to Instagram: a reply under the thread's top-level comment (POST /{ig-comment-id}/replies;
// Instagram answers only top-level comments), a reply to a mention (POST /{IG_ID}/mentions), or a
// Direct message (POST /{IG_ID}/messages, allowed within 24 h of the citizen's last message).
import { createdId, graphRequest } from '../facebook/graph.ts'
import { str } from '../read.ts'
import { PermanentJobError } from '../../jobs/registry.ts'
import type { Fetch, OpenChannel, Sender } from '../types.ts'
import { parseMentionThread } from './comments.ts'

/** ⚠ Instagram's documented limit for a Direct text is 1000 bytes of UTF-8. */
export const IG_DM_MAX_BYTES = 1000
/** ⚠ Instagram's limit for a comment (the caption limit; Meta documents no separate one). */
export const IG_COMMENT_MAX_CHARS = 2200

const LABEL = 'Instagram'

export const sendInstagram: Sender = async (req) => {
  const common = { label: LABEL, apiBase: req.apiBase, channel: req.channel, method: 'POST' as const, fetch: req.fetch }
  if (req.kind === 'dm') {
    const bytes = Buffer.byteLength(req.text, 'utf8')
    if (bytes > IG_DM_MAX_BYTES) throw new PermanentJobError(`${LABEL}: a Direct message allows at most ${IG_DM_MAX_BYTES} bytes; this reply has ${bytes}`)
    // ⚠ With Facebook Login the Send API is also reachable as /{PAGE_ID}/messages: a channel whose
    // setting pageId is set uses its Page.
    const sender = req.channel.settings.pageId || req.channel.accountId
    const body = await graphRequest({
      ...common,
      path: [sender, 'messages'],
      body: { recipient: { id: req.recipientExternalId ?? req.externalThreadId }, message: { text: req.text } },
    })
    return { externalId: createdId(LABEL, body, 'message_id') }
  }
  if (req.text.length > IG_COMMENT_MAX_CHARS)
    throw new PermanentJobError(`${LABEL}: a comment allows at most ${IG_COMMENT_MAX_CHARS} characters; this reply has ${req.text.length}`)
  const mention = req.kind === 'mention' ? parseMentionThread(req.externalThreadId) : undefined
  if (mention) {
    const body = await graphRequest({
      ...common,
      path: [req.channel.accountId, 'mentions'],
      body: { media_id: mention.mediaId, ...(mention.commentId ? { comment_id: mention.commentId } : {}), message: req.text },
    })
    return { externalId: createdId(LABEL, body, 'id') }
  }
  // The thread is the top-level comment: replies to a reply would land there anyway.
  const body = await graphRequest({ ...common, path: [req.externalThreadId, 'replies'], body: { message: req.text } })
  return { externalId: createdId(LABEL, body, 'id') }
}

/** A cheap authenticated read: the account's username. */
export async function testInstagram(channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<string> {
  const body = await graphRequest({ label: LABEL, apiBase, channel, method: 'GET', path: [channel.accountId], query: { fields: 'id,username,name' }, fetch })
  const username = str(body.username)
  return username ? `Instagram @${username.slice(0, 60)} (${(str(body.id) ?? channel.accountId).slice(0, 40)})` : `Instagram ${channel.accountId}`
}
