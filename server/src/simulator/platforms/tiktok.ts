// TikTok in the simulator: a fake of the API for Business calls Tanggap makes (comment replies,
// DMs, the account check), answering with TikTok's envelope {code, message, request_id, data} —
// errors too come as HTTP 200 with a non-zero code, as TikTok does — and a maker of signed
// webhook deliveries (one event per request, as TikTok sends them).
import { randomBytes } from 'node:crypto'
import { signTiktok } from '../../connectors/tiktok/verify.ts'
import type { ApiAnswer, ApiCall, DeliveryMaker, PlatformApi, SimChannel, SimPost } from '../types.ts'

/** TikTok's comment reply limit (the fake refuses longer text, as the platform does). */
const COMMENT_REPLY_MAX = 150

let serial = 0n
/** 19-digit ids like TikTok's, unique within the process. */
const nextId = (): string => String(7_400_000_000_000_000_000n + BigInt(Date.now()) * 1000n + (serial++ % 1000n))

const requestId = () => `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(12).toString('hex').toUpperCase()}`
const ok = (data: unknown): ApiAnswer => ({ status: 200, body: { code: 0, message: 'OK', request_id: requestId(), data } })
const fail = (code: number, message: string, status = 200): ApiAnswer => ({ status, body: { code, message, request_id: requestId(), data: {} } })

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {})

export const tiktokApi: PlatformApi = (call: ApiCall) => {
  const path = call.path.replace(/\/+$/, '')
  const token = call.headers['access-token']
  if (!str(token)) return fail(40105, 'Access token is null or incorrect.')
  const body = obj(call.body)

  if (call.method === 'POST' && path === '/business/comment/reply/create') {
    if (!str(body.business_id) || !str(body.video_id) || !str(body.comment_id)) return fail(40002, 'Invalid params: business_id, video_id and comment_id are required.')
    if (!str(body.text)) return fail(40002, 'Invalid params: text is required.')
    if ([...body.text].length > COMMENT_REPLY_MAX) return fail(40002, `Invalid params: text length must be within ${COMMENT_REPLY_MAX} characters.`)
    return ok({ comment_id: nextId(), video_id: body.video_id, create_time: String(Math.floor(Date.now() / 1000)), text: body.text })
  }
  if (call.method === 'POST' && path === '/business/message/send') {
    const text = obj(body.text)
    if (!str(body.business_id) || body.recipient_type !== 'CONVERSATION' || !str(body.recipient)) return fail(40002, 'Invalid params: business_id, recipient_type CONVERSATION and recipient are required.')
    if (body.message_type !== 'TEXT' || !str(text.body)) return fail(40002, 'Invalid params: message_type TEXT needs text.body.')
    return ok({ message: { message_id: nextId() } })
  }
  if (call.method === 'GET' && path === '/business/get') {
    if (!str(call.query.business_id)) return fail(40002, 'Invalid params: business_id is required.')
    return ok({ username: 'pemkabtegal', display_name: 'Pemkab Tegal', followers_count: 48213, is_business_account: true })
  }
  return fail(40007, `The requested path ${call.path} does not exist.`, 404)
}

/** Writes 19-digit ids as bare JSON numbers, as TikTok's comment.update content does. */
const bareIds = (json: string): string => json.replace(/"(comment_id|video_id|parent_comment_id)":"(\d{1,20})"/g, '"$1":$2')

function content(channel: SimChannel, post: SimPost): { event: string; content: string } {
  if (post.kind === 'dm') {
    const own = post.fromAccount === true
    return {
      event: own ? 'im_send_msg' : 'im_receive_msg',
      content: JSON.stringify({
        conversation_id: post.threadId, message_id: post.messageId, timestamp: post.at, type: 'text', text: { body: post.text },
        from: own ? channel.name : post.authorName, from_user: { id: own ? channel.accountId : post.authorId },
        to: own ? post.authorName : channel.name, to_user: { id: own ? post.authorId : channel.accountId },
        ...(post.parentId ? { referenced_message_info: { referenced_message_id: post.parentId } } : {}),
      }),
    }
  }
  // ⚠ Whether TikTok's webhook carries text/username is disputed; the simulator includes them so the inbox has something to show.
  return {
    event: 'comment.update',
    content: bareIds(JSON.stringify({
      comment_id: post.messageId, video_id: post.threadId, parent_comment_id: post.parentId ?? '0',
      comment_type: post.parentId ? 'reply' : 'comment', comment_action: 'insert', unique_identifier: post.authorId,
      timestamp: post.at, text: post.text, username: post.authorName, owner: post.fromAccount === true,
    })),
  }
}

export const tiktokMaker: DeliveryMaker = {
  platform: 'tiktok',
  kinds: ['comment', 'dm'],
  make(channel, posts) {
    const post = posts[0]
    if (!post || posts.length > 1) throw new Error('TikTok sends exactly one event per webhook request')
    const secret = channel.credentials.clientSecret
    if (!secret) throw new Error(`channel ${channel.name} has no TikTok clientSecret`)
    const { event, content: inner } = content(channel, post)
    const body = JSON.stringify({
      client_key: channel.credentials.clientKey ?? 'awsim0tanggap0demo', event, create_time: Math.floor(post.at / 1000),
      user_openid: channel.accountId, content: inner,
    })
    // Signed now, as TikTok signs at delivery time (the post may be older).
    return {
      method: 'POST', path: '/webhooks/tiktok', body,
      headers: { 'content-type': 'application/json', 'TikTok-Signature': signTiktok(secret, Math.floor(Date.now() / 1000), body) },
    }
  },
}
