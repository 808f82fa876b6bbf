// Polling a channel's comments (YouTube has no push for comments). Each poll lists the newest
// comment threads (commentThreads.list, order=time, 1 unit a page) until it reaches the watermark —
// the newest top-level comment time already covered — and returns the pages that hold something
// new, verbatim, as deliveries. Threads with more replies than the page embeds get their replies
// from comments.list (1 unit a page). The cursor lives in the channel's settings:
//   watermark  newest top-level publishedAt covered (ISO); absent before the first poll
//   resume     {token, newest} when a catch-up stopped early (quota or page budget): the next poll
//              continues from that page instead of starting over
//   threads    {threadId: fingerprint} of recent threads (reply count and edit times), so an
//              unchanged page is not stored again and replies are fetched only when they changed
//
// Limits, by design of the API: threads are ordered by their top-level comment, so a new reply to a
// thread older than the pages fetched (the newest 100 threads at least) is not seen; comments held
// for review (moderationStatus=heldForReview) are not polled; deletions are invisible to polling.
// A comments.list page is stored after its thread's page and, processed in order (embedded mode),
// finds the thread; with several workers a channel's reply could be processed before its thread.
import { createHash } from 'node:crypto'
import { isObject, type Json } from '../read.ts'
import type { PollContext, Poller, PollResult } from '../types.ts'
import { bearer, call, type CallResult, COST, YoutubeApiError } from './api.ts'
import { isId, parseTime } from './formats.ts'

const PAGE_SIZE = 100
/** A channel's first poll takes the newest threads only, never years of history. */
const FIRST_POLL_PAGES = 2
/** A later poll in a burst of comments; the rest follows at the next poll (resume). */
const MAX_PAGES = 10
/** comments.list calls per poll and per thread (a thread of more than 500 replies shows its first 500). */
const MAX_REPLY_CALLS = 20
const MAX_REPLY_PAGES = 5
/** Thread fingerprints kept in the channel's settings. */
const KEEP_THREADS = 500
const MAX_TOKEN = 1000

interface ThreadSeen {
  id: string
  published: number
  fingerprint: string
  totalReplies: number
  embeddedReplies: number
}

const iso = (ms: number) => new Date(ms).toISOString()

function readJson<T>(s: string | undefined, ok: (v: unknown) => v is T): T | undefined {
  if (!s) return undefined
  try {
    const v = JSON.parse(s) as unknown
    return ok(v) ? v : undefined
  } catch {
    return undefined
  }
}

const isResume = (v: unknown): v is { token: string; newest: number | null } =>
  isObject(v) && typeof v.token === 'string' && v.token.length > 0 && (v.newest === null || typeof v.newest === 'number')
const isFingerprints = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string')

/** What the poller needs of a thread; null for one it cannot read (its page is kept so the normalizer reports it). */
function threadSeen(item: unknown): ThreadSeen | null {
  if (!isObject(item) || !isObject(item.snippet) || !isObject(item.snippet.topLevelComment)) return null
  const top = item.snippet.topLevelComment
  const topSnippet: Json = isObject(top.snippet) ? top.snippet : {}
  const id = isId(item.id) ? item.id : isId(top.id) ? top.id : undefined
  const published = parseTime(topSnippet.publishedAt)
  if (id === undefined || published === undefined) return null
  const replies = isObject(item.replies) && Array.isArray(item.replies.comments) ? item.replies.comments : []
  const total = item.snippet.totalReplyCount
  const totalReplies = typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : replies.length
  // New replies and edits change the fingerprint; likes and view-dependent fields do not.
  const parts = [String(totalReplies), String(topSnippet.updatedAt ?? ''), String(topSnippet.textOriginal ?? topSnippet.textDisplay ?? '').length]
  for (const r of replies) if (isObject(r)) parts.push(`${String(r.id)}@${isObject(r.snippet) ? String(r.snippet.updatedAt ?? '') : ''}`)
  const fingerprint = createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 12)
  return { id, published, fingerprint, totalReplies, embeddedReplies: replies.length }
}

function listUrl(ctx: PollContext, token: string | undefined): string {
  const q = new URLSearchParams({
    part: 'snippet,replies',
    allThreadsRelatedToChannelId: ctx.channel.accountId,
    order: 'time',
    maxResults: String(PAGE_SIZE),
    textFormat: 'plainText',
  })
  if (token) q.set('pageToken', token)
  return `${ctx.apiBase}/commentThreads?${q}`
}

function repliesUrl(ctx: PollContext, threadId: string, token: string | undefined): string {
  const q = new URLSearchParams({ part: 'snippet', parentId: threadId, maxResults: String(PAGE_SIZE), textFormat: 'plainText' })
  if (token) q.set('pageToken', token)
  return `${ctx.apiBase}/comments?${q}`
}

const nextToken = (json: Json): string | undefined =>
  typeof json.nextPageToken === 'string' && json.nextPageToken.length > 0 && json.nextPageToken.length <= MAX_TOKEN ? json.nextPageToken : undefined

const canSpend = (ctx: PollContext, units: number) => ctx.quotaLeft() >= units

export const pollYoutube: Poller = async (ctx) => {
  const auth = bearer(ctx.channel)
  const settings = ctx.channel.settings
  const watermark = parseTime(settings.watermark)
  const known = readJson(settings.threads, isFingerprints) ?? {}
  let resume = readJson(settings.resume, isResume)
  let token = resume?.token
  let newest: number | null = resume?.newest ?? null
  const pages: Buffer[] = []
  const changed: ThreadSeen[] = []
  const fetched = new Map<string, string>()
  const budget = watermark === undefined ? FIRST_POLL_PAGES : MAX_PAGES
  let listed = 0
  let caughtUp = false

  for (;;) {
    if (listed >= budget) {
      // The first poll stops here on purpose; a later one continues at the next poll.
      caughtUp = watermark === undefined
      break
    }
    if (!canSpend(ctx, COST.list)) break
    ctx.spend(COST.list)
    let page: CallResult
    try {
      page = await call(ctx.fetch, listUrl(ctx, token), { auth }, 'commentThreads.list')
    } catch (err) {
      // Page tokens do not survive long gaps: a refused resume token starts over from the newest.
      if (resume && token === resume.token && err instanceof YoutubeApiError && err.status === 400) {
        resume = undefined
        token = undefined
        continue
      }
      throw err
    }
    listed++
    if (!Array.isArray(page.json.items)) throw new Error('YouTube commentThreads.list: the response has no items list')
    let keep = false
    let reachedWatermark = false
    for (const item of page.json.items) {
      const t = threadSeen(item)
      if (!t) {
        keep = true
        continue
      }
      newest = Math.max(newest ?? t.published, t.published)
      if (watermark !== undefined && t.published <= watermark) reachedWatermark = true
      if (known[t.id] !== t.fingerprint && !fetched.has(t.id)) {
        keep = true
        changed.push(t)
      }
      fetched.set(t.id, t.fingerprint)
    }
    if (keep) pages.push(page.raw)
    const next = nextToken(page.json)
    if (reachedWatermark || !next) {
      caughtUp = true
      break
    }
    token = next
  }
  if (listed === 0 && !caughtUp) return { pages: [] }

  // Replies beyond those embedded in the thread, for threads that changed.
  let replyCalls = 0
  for (const t of changed) {
    if (t.totalReplies <= t.embeddedReplies) continue
    let replyToken: string | undefined
    for (let p = 0; p < MAX_REPLY_PAGES; p++) {
      if (replyCalls >= MAX_REPLY_CALLS || !canSpend(ctx, COST.list)) {
        // Not fetched: forget its fingerprint so the next poll sees it as changed and tries again.
        fetched.delete(t.id)
        delete known[t.id]
        break
      }
      ctx.spend(COST.list)
      replyCalls++
      let res: CallResult
      try {
        res = await call(ctx.fetch, repliesUrl(ctx, t.id, replyToken), { auth }, 'comments.list')
      } catch (err) {
        // The thread was removed since it was listed: nothing more to fetch.
        if (err instanceof YoutubeApiError && err.status === 404) break
        throw err
      }
      if (Array.isArray(res.json.items) && res.json.items.length > 0) pages.push(res.raw)
      replyToken = nextToken(res.json)
      if (!replyToken) break
    }
  }

  const threads = Object.fromEntries([...fetched, ...Object.entries(known).filter(([id]) => !fetched.has(id))].slice(0, KEEP_THREADS))
  const result: PollResult = { pages, settings: { threads: JSON.stringify(threads) } }
  if (caughtUp) {
    const covered = Math.max(newest ?? 0, watermark ?? 0)
    result.settings = { ...result.settings, watermark: iso(covered), resume: '' }
  } else if (token) {
    result.settings = { ...result.settings, resume: JSON.stringify({ token, newest }) }
  }
  return result
}
