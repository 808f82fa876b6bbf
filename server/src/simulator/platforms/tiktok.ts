// TikTok in the simulator: a fake of the API for Business calls Tanggap makes (comment replies,
// DMs, the account check, comment/list lookups of comment text), answering with TikTok's envelope
// {code, message, request_id, data} — errors too come as HTTP 200 with a non-zero code, as TikTok
// does — and a maker of signed webhook deliveries (one event per request, as TikTok sends them).
import { createHash, randomBytes } from 'node:crypto'
import { parseJsonKeepingIds } from '../../connectors/read.ts'
import { signTiktok } from '../../connectors/tiktok/verify.ts'
import type { ApiAnswer, ApiCall, DeliveryMaker, PlatformApi, SimChannel, SimPost } from '../types.ts'

/** TikTok's comment reply limit (the fake refuses longer text, as the platform does). */
const COMMENT_REPLY_MAX = 150
/** comment/list's limit for comment_ids and max_count. */
const COMMENT_LIST_MAX = 30
/** The demo account's handle, as business/get reports it. */
const ACCOUNT_USERNAME = 'pemkabtegal'

let serial = 0n
/** 19-digit ids like TikTok's, unique within the process. */
const nextId = (): string => String(7_400_000_000_000_000_000n + BigInt(Date.now()) * 1000n + (serial++ % 1000n))

const requestId = () => `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(12).toString('hex').toUpperCase()}`
const ok = (data: unknown): ApiAnswer => ({ status: 200, body: { code: 0, message: 'OK', request_id: requestId(), data } })
const fail = (code: number, message: string, status = 200): ApiAnswer => ({ status, body: { code, message, request_id: requestId(), data: {} } })

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {})

/** Comments the maker delivered and replies made through the fake, so comment/list can return them. */
interface StoredComment {
  businessId: string
  videoId: string
  commentId: string
  /** The top-level comment a reply sits under. */
  parentId?: string
  text: string
  username: string
  authorId: string
  owner: boolean
  /** Epoch milliseconds. */
  at: number
}
const COMMENTS = new Map<string, StoredComment>()
const rememberComment = (c: StoredComment) => {
  COMMENTS.set(c.commentId, c)
  if (COMMENTS.size > 10_000) COMMENTS.delete(COMMENTS.keys().next().value!)
}

/** A comment object as comment/list writes it: string ids, create_time in seconds as a string, the to-be-deprecated user_id as a hash. */
const listed = (c: StoredComment) => ({
  comment_id: c.commentId,
  video_id: c.videoId,
  user_id: createHash('sha256').update(c.authorId).digest('hex'),
  unique_identifier: c.authorId,
  text: c.text,
  username: c.username,
  create_time: String(Math.floor(c.at / 1000)),
  owner: c.owner,
  status: 'PUBLIC',
  likes: 0,
  replies: [...COMMENTS.values()].filter((r) => r.parentId === c.commentId).length,
  liked: false,
  pinned: false,
  profile_image: `https://p16-sign-sg.tiktokcdn.com/tos-alisg-avt-0068/${createHash('md5').update(c.authorId).digest('hex')}~c5_100x100.jpeg`,
})

/** An integer query parameter within [min, max], its default when absent, or undefined when malformed. */
const intParam = (v: string | undefined, min: number, max: number, fallback: number): number | undefined => {
  if (v === undefined) return fallback
  const n = /^\d{1,6}$/.test(v) ? Number(v) : NaN
  return n >= min && n <= max ? n : undefined
}

/** GET business/comment/list/: a video's comments, newest first, optionally narrowed to comment_ids (≤ 30). */
function commentList(q: Record<string, string>): ApiAnswer {
  if (!str(q.business_id) || !str(q.video_id)) return fail(40002, 'Invalid params: business_id and video_id are required.')
  const maxCount = intParam(q.max_count, 1, COMMENT_LIST_MAX, 20)
  const cursor = intParam(q.cursor, 0, 1_000_000, 0)
  if (maxCount === undefined || cursor === undefined)
    return fail(40002, `Invalid params: max_count must be within [1, ${COMMENT_LIST_MAX}] and cursor a non-negative integer.`)
  if (q.status !== undefined && q.status !== 'PUBLIC' && q.status !== 'ALL') return fail(40002, 'Invalid params: status must be PUBLIC or ALL.')
  let ids: Set<string> | undefined
  if (q.comment_ids !== undefined) {
    let parsed: unknown
    try {
      parsed = parseJsonKeepingIds(q.comment_ids)
    } catch {
      parsed = undefined
    }
    if (!Array.isArray(parsed) || parsed.length > COMMENT_LIST_MAX || !parsed.every((id) => str(id) || typeof id === 'number')) {
      return fail(40002, `Invalid params: comment_ids must be a JSON array of at most ${COMMENT_LIST_MAX} comment ids.`)
    }
    ids = new Set(parsed.map(String))
  }
  // ⚠ Modelled on the docs' wording: replies are listed only with include_replies=true.
  const includeReplies = q.include_replies === 'true'
  const matching = [...COMMENTS.values()]
    .filter((c) => c.businessId === q.business_id && c.videoId === q.video_id && (includeReplies || !c.parentId) && (!ids || ids.has(c.commentId)))
    .sort((a, b) => (q.sort_order === 'asc' ? a.at - b.at : b.at - a.at))
  const page = matching.slice(cursor, cursor + maxCount)
  return ok({ comments: page.map(listed), has_more: cursor + page.length < matching.length, cursor: cursor + page.length })
}

export const tiktokApi: PlatformApi = (call: ApiCall) => {
  const path = call.path.replace(/\/+$/, '')
  const token = call.headers['access-token']
  if (!str(token)) return fail(40105, 'Access token is null or incorrect.')
  const body = obj(call.body)

  if (call.method === 'POST' && path === '/business/comment/reply/create') {
    if (!str(body.business_id) || !str(body.video_id) || !str(body.comment_id))
      return fail(40002, 'Invalid params: business_id, video_id and comment_id are required.')
    if (!str(body.text)) return fail(40002, 'Invalid params: text is required.')
    if ([...body.text].length > COMMENT_REPLY_MAX) return fail(40002, `Invalid params: text length must be within ${COMMENT_REPLY_MAX} characters.`)
    const commentId = nextId()
    const at = Date.now()
    rememberComment({
      businessId: body.business_id,
      videoId: body.video_id,
      commentId,
      parentId: body.comment_id,
      text: body.text,
      username: ACCOUNT_USERNAME,
      authorId: body.business_id,
      owner: true,
      at,
    })
    return ok({ comment_id: commentId, video_id: body.video_id, create_time: String(Math.floor(at / 1000)), text: body.text })
  }
  if (call.method === 'POST' && path === '/business/message/send') {
    const text = obj(body.text)
    if (!str(body.business_id) || body.recipient_type !== 'CONVERSATION' || !str(body.recipient))
      return fail(40002, 'Invalid params: business_id, recipient_type CONVERSATION and recipient are required.')
    if (body.message_type !== 'TEXT' || !str(text.body)) return fail(40002, 'Invalid params: message_type TEXT needs text.body.')
    return ok({ message: { message_id: nextId() } })
  }
  if (call.method === 'GET' && path === '/business/get') {
    if (!str(call.query.business_id)) return fail(40002, 'Invalid params: business_id is required.')
    return ok({ username: ACCOUNT_USERNAME, display_name: 'Pemkab Tegal', followers_count: 48213, is_business_account: true })
  }
  if (call.method === 'GET' && path === '/business/comment/list') return commentList(call.query)
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
        conversation_id: post.threadId,
        message_id: post.messageId,
        timestamp: post.at,
        type: 'text',
        text: { body: post.text },
        from: own ? channel.name : post.authorName,
        from_user: { id: own ? channel.accountId : post.authorId },
        to: own ? post.authorName : channel.name,
        to_user: { id: own ? post.authorId : channel.accountId },
        ...(post.parentId ? { referenced_message_info: { referenced_message_id: post.parentId } } : {}),
      }),
    }
  }
  rememberComment({
    businessId: channel.accountId,
    videoId: post.threadId,
    commentId: post.messageId,
    // The simulator may name the video as a comment's parent; TikTok's "no parent" is then meant.
    ...(post.parentId && post.parentId !== post.threadId ? { parentId: post.parentId } : {}),
    text: post.text,
    username: post.authorName,
    authorId: post.authorId,
    owner: post.fromAccount === true,
    at: post.at,
  })
  // ⚠ Whether TikTok's webhook carries text is disputed, and username/owner are documented only on
  // comment/list: comments with an even id come with the documented fields only, so Tanggap must
  // read them from comment/list (the fake above knows them); the others carry everything.
  const bare = /[02468]$/.test(post.messageId)
  return {
    event: 'comment.update',
    content: bareIds(
      JSON.stringify({
        comment_id: post.messageId,
        video_id: post.threadId,
        parent_comment_id: post.parentId ?? '0',
        comment_type: post.parentId ? 'reply' : 'comment',
        comment_action: 'insert',
        unique_identifier: post.authorId,
        timestamp: post.at,
        ...(bare ? {} : { text: post.text, username: post.authorName, owner: post.fromAccount === true }),
      }),
    ),
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
      client_key: channel.credentials.clientKey ?? 'awsim0tanggap0demo',
      event,
      create_time: Math.floor(post.at / 1000),
      user_openid: channel.accountId,
      content: inner,
    })
    // Signed now, as TikTok signs at delivery time (the post may be older).
    return {
      method: 'POST',
      path: '/webhooks/tiktok',
      body,
      headers: { 'content-type': 'application/json', 'TikTok-Signature': signTiktok(secret, Math.floor(Date.now() / 1000), body) },
    }
  },
}
