// YouTube in the simulator. YouTube sends no webhooks for comments: Tanggap polls, so the fake API
// holds the comment threads of each channel in memory (as YouTube resources) and answers
// commentThreads.list, comments.list, comments.insert and channels.list the way the Data API v3
// does, with its error shape and its quota (1 unit a list call, 50 an insert). The "maker" adds
// citizens' comments to that state instead of building a delivery.
import { createHash, randomBytes } from 'node:crypto'
import { DEMO_CHANNELS, DEMO_SECRETS } from '@tanggap/db/seed'
import type { ApiAnswer, ApiCall, PlatformApi, PolledMaker, SimChannel, SimPost } from '../types.ts'

type Json = Record<string, unknown>

interface Thread {
  id: string
  channelId: string
  videoId: string
  canReply: boolean
  isPublic: boolean
  /** youtube#comment resources; replies in the order they were written. */
  top: Json
  replies: Json[]
}

interface Account {
  channelId: string
  title: string
  handle: string
}

/** Replies a commentThreads.list item embeds; ⚠ YouTube documents only that it is "not necessarily all". */
export const EMBEDDED_REPLIES = 5
const MAX_COMMENT = 10_000

const demo = DEMO_CHANNELS.find((c) => c.platform === 'youtube')
const DEMO_ACCOUNT: Account = { channelId: demo?.accountId ?? 'UCtegalkab000000000000', title: demo?.name ?? 'YouTube Pemkab Tegal', handle: '@pemkabtegal' }

const state = {
  threads: [] as Thread[],
  accounts: new Map<string, Account>(),
  units: 0,
  quotaLimit: Number.POSITIVE_INFINITY,
  omitTextOriginal: false,
  now: () => Date.now(),
}

const derive = (seed: string, n: number) => createHash('sha256').update(seed).digest('base64url').slice(0, n)
const random = (n: number) => randomBytes(n).toString('base64url').slice(0, n)
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const etag = (v: unknown) => derive(JSON.stringify(v), 27)
const clone = <T>(v: T): T => structuredClone(v)
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function reset(): void {
  state.threads = []
  state.accounts = new Map([[DEMO_SECRETS.youtube.accessToken, DEMO_ACCOUNT]])
  state.units = 0
  state.quotaLimit = Number.POSITIVE_INFINITY
  state.omitTextOriginal = false
  state.now = () => Date.now()
}
reset()

const findThread = (id: string) => state.threads.find((t) => t.id === id)
const allComments = () => state.threads.flatMap((t) => [t.top, ...t.replies])
const snippetOf = (c: Json): Json => (isJson(c.snippet) ? c.snippet : {})

export interface NewComment {
  /** The channel whose video it is on (the government's). */
  channelId: string
  videoId?: string
  /** A reply to this thread (its top-level comment id); omitted: a new top-level comment. */
  threadId?: string
  id?: string
  authorName: string
  authorChannelId: string
  text: string
  /** Epoch milliseconds. */
  at: number
}

function comment(c: NewComment, id: string, parentId: string | undefined, videoId: string): Json {
  const at = iso(c.at)
  return {
    kind: 'youtube#comment',
    etag: '',
    id,
    snippet: {
      channelId: c.channelId,
      videoId,
      textDisplay: c.text,
      textOriginal: c.text,
      ...(parentId ? { parentId } : {}),
      authorDisplayName: c.authorName,
      authorProfileImageUrl: `https://yt3.ggpht.example/${derive(c.authorChannelId, 12)}=s48`,
      authorChannelUrl: `http://www.youtube.com/channel/${c.authorChannelId}`,
      authorChannelId: { value: c.authorChannelId },
      canRate: true,
      viewerRating: 'none',
      likeCount: 0,
      publishedAt: at,
      updatedAt: at,
    },
  }
}

/** Adds a top-level comment or a reply; returns its id. */
function addComment(c: NewComment): string {
  if (c.threadId) {
    const thread = findThread(c.threadId)
    if (!thread) throw new Error(`youtube fake: no thread ${c.threadId}`)
    const id = c.id ?? `${thread.id}.${random(22)}`
    thread.replies.push(comment(c, id, thread.id, thread.videoId))
    return id
  }
  const id = c.id ?? `Ugx${random(16)}4AaABAg`
  const videoId = c.videoId ?? random(11)
  state.threads.push({ id, channelId: c.channelId, videoId, canReply: true, isPublic: true, top: comment(c, id, undefined, videoId), replies: [] })
  return id
}

/** Loads commentThread resources as YouTube returns them (e.g. a fixture's items), all replies included. */
function loadThreads(items: unknown[]): void {
  for (const item of clone(items)) {
    if (!isJson(item) || !isJson(item.snippet) || !isJson(item.snippet.topLevelComment)) throw new Error('youtube fake: not a commentThread')
    const s = item.snippet
    const top = s.topLevelComment as Json
    const replies = isJson(item.replies) && Array.isArray(item.replies.comments) ? (item.replies.comments as Json[]) : []
    state.threads.push({
      id: String(item.id ?? top.id),
      channelId: String(s.channelId ?? ''),
      videoId: String(s.videoId ?? ''),
      canReply: s.canReply !== false,
      isPublic: s.isPublic !== false,
      top,
      replies,
    })
  }
}

function editComment(id: string, text: string, at: number): void {
  const c = allComments().find((x) => x.id === id)
  if (!c) throw new Error(`youtube fake: no comment ${id}`)
  Object.assign(snippetOf(c), { textOriginal: text, textDisplay: text, updatedAt: iso(at) })
}

function removeComment(id: string): void {
  state.threads = state.threads.filter((t) => t.id !== id)
  for (const t of state.threads) t.replies = t.replies.filter((r) => r.id !== id)
}

/** The fake's controls, for tests and the simulator. */
export const youtubeFake = {
  reset,
  addComment,
  loadThreads,
  editComment,
  removeComment,
  thread: (id: string) => findThread(id),
  setCanReply: (threadId: string, canReply: boolean) => void (findThread(threadId)!.canReply = canReply),
  /** Units spent against the fake's quota since the last reset. */
  units: () => state.units,
  setQuotaLimit: (units: number) => void (state.quotaLimit = units),
  /** Answers as for a viewer who may not see textOriginal: textDisplay only. */
  omitTextOriginal: (on: boolean) => void (state.omitTextOriginal = on),
  setClock: (now: () => number) => void (state.now = now),
  accountOf: (token: string) => state.accounts.get(token),
}

// ---- answers ----

function error(status: number, reason: string, message: string, domain = 'youtube.api'): ApiAnswer {
  return { status, body: { error: { code: status, message, errors: [{ message, domain, reason }] } } }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

function render(c: Json, textFormat: string): Json {
  const out = clone(c)
  const s = snippetOf(out)
  if (typeof s.textOriginal === 'string') s.textDisplay = textFormat === 'plainText' ? s.textOriginal : escapeHtml(s.textOriginal).replace(/\n/g, '<br>')
  if (state.omitTextOriginal) delete s.textOriginal
  out.etag = etag(out)
  return out
}

function renderThread(t: Thread, parts: string[], textFormat: string): Json {
  const out: Json = {
    kind: 'youtube#commentThread',
    etag: '',
    id: t.id,
    snippet: {
      channelId: t.channelId,
      videoId: t.videoId,
      topLevelComment: render(t.top, textFormat),
      canReply: t.canReply,
      totalReplyCount: t.replies.length,
      isPublic: t.isPublic,
    },
  }
  if (parts.includes('replies') && t.replies.length) out.replies = { comments: t.replies.slice(0, EMBEDDED_REPLIES).map((r) => render(r, textFormat)) }
  out.etag = etag(out)
  return out
}

const token = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url')
function offsetOf(pageToken: string | undefined): number | undefined {
  if (!pageToken) return 0
  try {
    const v = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')) as { o?: unknown }
    return typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 ? v.o : undefined
  } catch {
    return undefined
  }
}

function page(kind: string, list: Json[], q: Record<string, string>): ApiAnswer {
  const max = q.maxResults === undefined ? 20 : Number(q.maxResults)
  if (!Number.isInteger(max) || max < 1 || max > 100) return error(400, 'invalidParameter', "Invalid value for parameter 'maxResults'.")
  const offset = offsetOf(q.pageToken)
  if (offset === undefined) return error(400, 'invalidPageToken', 'The request specifies an invalid page token.')
  const items = list.slice(offset, offset + max)
  const next = offset + max < list.length ? token(offset + max) : undefined
  const body: Json = { kind, etag: '', ...(next ? { nextPageToken: next } : {}), pageInfo: { totalResults: items.length, resultsPerPage: max }, items }
  body.etag = etag(body)
  return { status: 200, body }
}

const publishedOf = (t: Thread) => Date.parse(String(snippetOf(t.top).publishedAt)) || 0

function listThreads(q: Record<string, string>): ApiAnswer {
  if (!q.part) return error(400, 'required', 'Required parameter: part', 'global')
  const channelId = q.allThreadsRelatedToChannelId
  if (!channelId) return error(400, 'missingRequiredParameter', 'No filter selected. Expected one of: allThreadsRelatedToChannelId, videoId, id')
  const parts = q.part.split(',')
  const ordered = state.threads.filter((t) => t.channelId === channelId).sort((a, b) => publishedOf(b) - publishedOf(a) || b.id.localeCompare(a.id))
  return page(
    'youtube#commentThreadListResponse',
    ordered.map((t) => renderThread(t, parts, q.textFormat ?? 'html')),
    q,
  )
}

function listComments(q: Record<string, string>): ApiAnswer {
  if (!q.part) return error(400, 'required', 'Required parameter: part', 'global')
  if (!q.parentId) return error(400, 'missingRequiredParameter', 'No filter selected. Expected one of: id, parentId')
  const thread = findThread(q.parentId)
  if (!thread) return error(404, 'commentNotFound', 'The comment identified by the parentId parameter could not be found.')
  return page(
    'youtube#commentListResponse',
    thread.replies.map((r) => render(r, q.textFormat ?? 'html')),
    q,
  )
}

function insertComment(call: ApiCall, who: Account): ApiAnswer {
  const body = isJson(call.body) ? call.body : undefined
  const snippet = body && isJson(body.snippet) ? body.snippet : undefined
  if (!snippet || typeof snippet.parentId !== 'string' || !snippet.parentId) {
    return error(400, 'parentIdMissing', 'The comment you are trying to create must be linked to a parent comment.')
  }
  const text = snippet.textOriginal
  if (typeof text !== 'string' || !text.trim())
    return error(400, 'commentTextRequired', 'The comment resource that is being inserted must specify a value for the snippet.textOriginal property.')
  if (text.length > MAX_COMMENT)
    return error(400, 'commentTextTooLong', 'The comment resource that is being inserted contains too many characters in the snippet.textOriginal property.')
  const thread = findThread(snippet.parentId)
  if (!thread) return error(404, 'parentCommentNotFound', 'The specified parent comment could not be found.')
  if (!thread.canReply) return error(400, 'operationNotSupported', 'The API user is not able to insert a comment in reply to the top-level comment.')
  const id = addComment({ channelId: thread.channelId, threadId: thread.id, authorName: who.handle, authorChannelId: who.channelId, text, at: state.now() })
  return { status: 200, body: render(thread.replies.find((r) => r.id === id)!, 'html') }
}

function channels(q: Record<string, string>, who: Account): ApiAnswer {
  if (!q.part) return error(400, 'required', 'Required parameter: part', 'global')
  const items =
    q.mine === 'true' || q.id === who.channelId
      ? [
          {
            kind: 'youtube#channel',
            etag: etag(who),
            id: who.channelId,
            snippet: { title: who.title, description: '', customUrl: who.handle, publishedAt: '2016-03-01T02:00:00Z' },
          },
        ]
      : []
  return { status: 200, body: { kind: 'youtube#channelListResponse', etag: etag(items), pageInfo: { totalResults: items.length, resultsPerPage: 5 }, items } }
}

export const youtubeApi: PlatformApi = (call) => {
  const auth = typeof call.headers.authorization === 'string' ? call.headers.authorization : ''
  const who = auth.startsWith('Bearer ') ? state.accounts.get(auth.slice(7)) : undefined
  if (!who) {
    return {
      status: 401,
      body: {
        error: {
          code: 401,
          status: 'UNAUTHENTICATED',
          message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
          errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
        },
      },
    }
  }
  const cost = call.method === 'POST' ? 50 : 1
  if (state.units + cost > state.quotaLimit) {
    return error(
      403,
      'quotaExceeded',
      'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
      'youtube.quota',
    )
  }
  state.units += cost
  if (call.method === 'GET' && call.path === '/commentThreads') return listThreads(call.query)
  if (call.method === 'GET' && call.path === '/comments') return listComments(call.query)
  if (call.method === 'POST' && call.path === '/comments') return insertComment(call, who)
  if (call.method === 'GET' && call.path === '/channels') return channels(call.query, who)
  return error(404, 'notFound', `No such method: ${call.method} ${call.path}`, 'global')
}

// ---- the maker ----

const videoIdOf = (threadId: string) => (/^[A-Za-z0-9_-]{11}$/.test(threadId) ? threadId : derive(`video:${threadId}`, 11))
const channelIdOf = (authorId: string) => (/^UC[A-Za-z0-9_-]{22}$/.test(authorId) ? authorId : `UC${derive(`channel:${authorId}`, 22)}`)

/**
 * A simulated post as YouTube would hold it. SimPost.threadId names the video; parentId names the
 * comment (or, as the simulator writes it, the video) a reply answers: the newest thread there.
 */
function addPost(channel: SimChannel, post: SimPost): string {
  const author = post.fromAccount
    ? { authorName: state.accounts.get(channel.credentials.accessToken ?? '')?.handle ?? channel.name, authorChannelId: channel.accountId }
    : { authorName: post.authorName, authorChannelId: channelIdOf(post.authorId) }
  const parent = post.parentId
    ? (findThread(post.parentId) ?? state.threads.filter((t) => t.channelId === channel.accountId && t.videoId === videoIdOf(post.parentId!)).at(-1))
    : undefined
  const base = { channelId: channel.accountId, text: post.text, at: post.at, ...author }
  if (parent) return addComment({ ...base, threadId: parent.id, id: `${parent.id}.${derive(`reply:${post.messageId}`, 22)}` })
  return addComment({
    ...base,
    videoId: videoIdOf(post.threadId),
    id: /^Ug[A-Za-z0-9_-]{10,}$/.test(post.messageId) ? post.messageId : `Ugx${derive(post.messageId, 16)}4AaABAg`,
  })
}

/** YouTube has no webhooks: the posts go into the fake API's state, where Tanggap's next poll finds them. */
export const youtubeMaker: PolledMaker = {
  platform: 'youtube',
  kinds: ['comment'],
  add: (channel, posts) => posts.map((p) => addPost(channel, p)),
}
