// Replies from Tanggap to TikTok (platform-specs.md §8.3e):
// - comment threads: POST business/comment/reply/create/ {business_id, video_id, comment_id, text},
//   answering the thread's top-level comment (TikTok shows replies flat under it); at most 150
//   characters; the answer's data.comment_id is the new comment, and its comment.update echo is
//   then a duplicate of the message we store.
// - DMs: POST business/message/send/ {business_id, recipient_type: CONVERSATION, recipient:
//   <conversation_id>, message_type: TEXT, text: {body}}; data.message.message_id is the new message
//   (its im_send_msg echo is deduped by that id).
// business_id is the account's open id, which is the channel's accountId.
import { PermanentJobError } from '../../jobs/registry.ts'
import { field } from '../read.ts'
import type { SendRequest, Sender } from '../types.ts'
import { callTiktok } from './api.ts'
import { idOf } from './formats.ts'
import { parseCommentThreadId } from './thread.ts'

/** TikTok's limit for a comment reply. ⚠ Counted here in Unicode code points; TikTok may count an emoji differently. */
export const COMMENT_REPLY_MAX_CHARS = 150

const tokenOf = (req: SendRequest): string => {
  const token = req.channel.credentials.accessToken
  if (!token) throw new PermanentJobError('Kanal TikTok belum punya access token — hubungkan ulang akun (the TikTok channel has no access token)')
  return token
}

async function replyToComment(req: SendRequest): Promise<{ externalId: string }> {
  const length = [...req.text].length
  if (length > COMMENT_REPLY_MAX_CHARS) {
    throw new PermanentJobError(
      `Balasan komentar TikTok maksimal ${COMMENT_REPLY_MAX_CHARS} karakter, balasan ini ${length} karakter — persingkat lalu kirim ulang (TikTok comment replies allow at most ${COMMENT_REPLY_MAX_CHARS} characters; this one has ${length})`,
    )
  }
  const thread = parseCommentThreadId(req.externalThreadId)
  if (!thread) throw new PermanentJobError(`TikTok comment thread "${req.externalThreadId.slice(0, 80)}" does not name its video; cannot reply`)
  const data = await callTiktok({
    apiBase: req.apiBase,
    fetch: req.fetch,
    accessToken: tokenOf(req),
    method: 'POST',
    path: 'business/comment/reply/create/',
    body: { business_id: req.channel.accountId, video_id: thread.videoId, comment_id: thread.commentId, text: req.text },
  })
  const externalId = idOf(data.comment_id)
  // TikTok took the reply; retrying would post it twice, so a missing id is not retried.
  if (!externalId) throw new PermanentJobError('TikTok accepted the comment reply but returned no comment_id; check the video before sending again')
  return { externalId }
}

async function sendMessage(req: SendRequest): Promise<{ externalId: string }> {
  const data = await callTiktok({
    apiBase: req.apiBase,
    fetch: req.fetch,
    accessToken: tokenOf(req),
    method: 'POST',
    path: 'business/message/send/',
    body: {
      business_id: req.channel.accountId,
      recipient_type: 'CONVERSATION',
      recipient: req.externalThreadId,
      message_type: 'TEXT',
      text: { body: req.text },
    },
  })
  const externalId = idOf(field(data, 'message', 'message_id'))
  if (!externalId) throw new PermanentJobError('TikTok accepted the message but returned no message_id; check the conversation before sending again')
  return { externalId }
}

export const sendTiktok: Sender = async (req) => (req.kind === 'dm' ? sendMessage(req) : replyToComment(req))
