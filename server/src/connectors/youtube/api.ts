// Calls to the YouTube Data API v3 and the reading of its errors:
// {"error":{"code":403,"message":"…","errors":[{"reason":"quotaExceeded","domain":"youtube.quota",…}]}}.
import { clip, isObject } from '../read.ts'
import type { Fetch, OpenChannel } from '../types.ts'
import { htmlToText, parseJson } from './formats.ts'

/** Google answers in well under a second; a hung connection must not hold a poll or send job. */
const TIMEOUT_MS = 20_000

/** Quota costs in units [YouTube "determine quota cost"]. */
export const COST = { list: 1, insert: 50 } as const

/** An answer other than 2xx, with YouTube's reason when it gave one. */
export class YoutubeApiError extends Error {
  override name = 'YoutubeApiError'
  constructor(
    readonly status: number,
    readonly reason: string | null,
    message: string,
  ) {
    super(message)
  }
}

// Reasons that retrying soon cannot fix (the quota resets only at midnight Pacific Time).
const PERMANENT_REASONS = new Set([
  'quotaExceeded',
  'dailyLimitExceeded',
  'forbidden',
  'commentsDisabled',
  'insufficientPermissions',
  'ineligibleAccount',
  'authError',
  'invalid',
  'commentTextTooLong',
  'commentTextRequired',
  'parentCommentNotFound',
  'parentIdMissing',
  'parentCommentIsPrivate',
  'operationNotSupported',
  'invalidCommentMetadata',
  'invalidCustomEmoji',
  'badResponse',
])
// 403s that are about pace, not permission.
const TEMPORARY_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError', 'internalError'])

/** True when the same call may succeed later: 5xx, 429, rate limits, backend errors and network failures. */
export function isTemporary(err: unknown): boolean {
  if (!(err instanceof YoutubeApiError)) return true
  if (err.reason && TEMPORARY_REASONS.has(err.reason)) return true
  if (err.reason && PERMANENT_REASONS.has(err.reason)) return false
  return err.status >= 500 || err.status === 429 || err.status === 408
}

function errorOf(status: number, raw: string, what: string): YoutubeApiError {
  let reason: string | null = null
  let message = ''
  try {
    const body = JSON.parse(raw) as unknown
    const e = isObject(body) && isObject(body.error) ? body.error : undefined
    const first = e && Array.isArray(e.errors) && isObject(e.errors[0]) ? e.errors[0] : undefined
    if (first && typeof first.reason === 'string') reason = first.reason.slice(0, 64)
    if (e && typeof e.message === 'string') message = e.message
  } catch {
    message = raw
  }
  // Google's messages may carry HTML links ("…exceeded your <a href=…>quota</a>.").
  message = clip(htmlToText(message).replace(/\s+/g, ' ').trim(), 300)
  if (reason === 'quotaExceeded') message = `daily quota used up, resets at midnight Pacific Time (${message || 'quotaExceeded'})`
  return new YoutubeApiError(status, reason, `YouTube ${what}: HTTP ${status}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`)
}

export function bearer(channel: OpenChannel): string {
  const token = channel.credentials.accessToken
  if (!token) throw new YoutubeApiError(401, 'authError', 'YouTube channel has no OAuth access token: connect the channel again')
  return `Bearer ${token}`
}

/** A 2xx answer: the raw body and its parsed JSON object. */
export interface CallResult {
  raw: Buffer
  json: Record<string, unknown>
}

/** One API call; resolves to the raw body and its parsed JSON object, or throws YoutubeApiError / a network Error. */
export async function call(fetch: Fetch, url: string, init: { method?: 'GET' | 'POST'; auth: string; body?: unknown }, what: string): Promise<CallResult> {
  let res: Response
  let raw: Buffer
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { authorization: init.auth, accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    raw = Buffer.from(await res.arrayBuffer())
  } catch (err) {
    throw new Error(`YouTube ${what}: network error: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!res.ok) throw errorOf(res.status, raw.toString('utf8').slice(0, 10_000), what)
  // A 2xx we cannot read: for a send, the comment may exist, so this is not retried.
  let json: unknown
  try {
    json = parseJson(raw, `${what} response`)
  } catch {
    json = undefined
  }
  if (!isObject(json)) throw new YoutubeApiError(res.status, 'badResponse', `YouTube ${what}: HTTP ${res.status} with a body that is not a JSON object`)
  return { raw, json }
}
