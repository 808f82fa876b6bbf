// Replies to Facebook: a comment under the thread's top-level comment (POST /{comment-id}/comments),
// a comment on the post or comment that mentioned the Page, or a Messenger message to the citizen
// (POST /{PAGE_ID}/messages, messaging_type RESPONSE, allowed within 24 h of their last message).
import { PermanentJobError } from '../../jobs/registry.ts'
import { str } from '../read.ts'
import type { Fetch, OpenChannel, Sender } from '../types.ts'
import { createdId, graphRequest } from './graph.ts'

/** Messenger's limit for a text message. */
export const MESSENGER_MAX_CHARS = 2000
/** Facebook's limit for a comment. */
export const FB_COMMENT_MAX_CHARS = 8000

const LABEL = 'Facebook'

function tooLong(text: string, max: number, what: string): void {
  if (text.length > max) throw new PermanentJobError(`${LABEL}: ${what} allows at most ${max} characters; this reply has ${text.length}`)
}

export const sendFacebook: Sender = async (req) => {
  const common = { label: LABEL, apiBase: req.apiBase, channel: req.channel, method: 'POST' as const, fetch: req.fetch }
  if (req.kind === 'dm') {
    tooLong(req.text, MESSENGER_MAX_CHARS, 'Messenger')
    // The thread of a Messenger conversation is the citizen's page-scoped id.
    const recipient = req.recipientExternalId ?? req.externalThreadId
    const body = await graphRequest({
      ...common,
      path: [req.channel.accountId, 'messages'],
      body: { recipient: { id: recipient }, messaging_type: 'RESPONSE', message: { text: req.text } },
    })
    return { externalId: createdId(LABEL, body, 'message_id') }
  }
  tooLong(req.text, FB_COMMENT_MAX_CHARS, 'a comment')
  // The top-level comment (or the mentioning post/comment): a reply there stays in the citizen's
  // thread, while a reply to a reply is refused by the Graph API, which keeps two levels. ⚠
  const body = await graphRequest({ ...common, path: [req.externalThreadId, 'comments'], body: { message: req.text } })
  return { externalId: createdId(LABEL, body, 'id') }
}

/** A cheap authenticated read: the Page's name. */
export async function testFacebook(channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<string> {
  const body = await graphRequest({ label: LABEL, apiBase, channel, method: 'GET', path: [channel.accountId], query: { fields: 'id,name' }, fetch })
  return `Halaman Facebook "${(str(body.name) ?? channel.name).slice(0, 100)}" (${(str(body.id) ?? channel.accountId).slice(0, 40)})`
}
