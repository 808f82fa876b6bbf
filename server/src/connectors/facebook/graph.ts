// Calls to the Graph API (Facebook Pages, Messenger, Instagram) and what their errors mean for a
// retry. Graph errors are {error:{message, type, code, error_subcode, is_transient}}; throttling comes
// back as 400/403 with a rate-limit code, so the code decides, not only the HTTP status.
import { PermanentJobError } from '../../jobs/registry.ts'
import { isObject, obj, str } from '../read.ts'
import type { Fetch, OpenChannel } from '../types.ts'

/**
 * Codes that clear by themselves: 1 unknown/temporary, 2 service unavailable, 4 app rate limit,
 * 17 user rate limit, 32 Page rate limit, 341 application limit, 613 hourly limit, 1200 Messenger's
 * "temporary send message failure", 80001–80014 Business Use Case rate limits. Everything else in a
 * 4xx (100 bad parameter, 190 token, 10/200–299 permission, 551 person unavailable, 368 policy
 * block, 2018xxx Messenger policy such as the 24-hour window) needs a person to fix it.
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613])
const isRateLimitCode = (code: number | undefined) => code !== undefined && (RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014))
const isTemporaryCode = (code: number | undefined) => code === 1 || code === 2 || code === 1200 || isRateLimitCode(code)

/** Graph is throttling the app or the Page (HTTP 429 or a rate-limit code): retried like any temporary error, and a reason to stop calling for a while. */
export class GraphRateLimited extends Error {
  override name = 'GraphRateLimited'
}

const TIMEOUT_MS = 15_000

export interface GraphCall {
  /** "Facebook" or "Instagram": starts every error message the item shows. */
  label: string
  apiBase: string
  channel: OpenChannel
  method: 'GET' | 'POST'
  /** Path segments after the base (ids are encoded). */
  path: string[]
  query?: Record<string, string>
  body?: unknown
  fetch: Fetch
  /** Defaults to 15 s. */
  timeoutMs?: number
}

/** The access token of the channel, or a permanent error: no retry brings one. */
function tokenOf(call: GraphCall): string {
  const token = call.channel.credentials.accessToken
  if (!token) throw new PermanentJobError(`${call.label}: the channel has no access token; reconnect it in the channel settings`)
  return token
}

/** Sends one Graph request; resolves to the response object, throws PermanentJobError or a plain Error (retried). */
export async function graphRequest(call: GraphCall): Promise<Record<string, unknown>> {
  const token = tokenOf(call)
  const url = new URL(`${call.apiBase}/${call.path.map(encodeURIComponent).join('/')}`)
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v)
  let res: Response
  let raw: string
  try {
    res = await call.fetch(url, {
      method: call.method,
      // Graph accepts the token as an OAuth bearer header: it stays out of URLs and logs.
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs ?? TIMEOUT_MS),
    })
    raw = await res.text()
  } catch (err) {
    throw new Error(`${call.label} API unreachable: ${err instanceof Error ? err.message : String(err)}`)
  }
  let body: unknown
  try {
    body = raw ? JSON.parse(raw) : {}
  } catch {
    body = undefined
  }
  if (res.ok) {
    if (!isObject(body))
      throw new PermanentJobError(
        `${call.label} API answered ${res.status} without a JSON object; the message may have been sent, check the platform before retrying`,
      )
    return body
  }
  const err = obj(obj(body)?.error)
  const code = typeof err?.code === 'number' ? err.code : undefined
  const subcode = typeof err?.error_subcode === 'number' ? err.error_subcode : undefined
  const message = (str(err?.message) || str(err?.error_user_msg) || raw.slice(0, 200) || res.statusText).slice(0, 300)
  const summary = `${call.label} API ${res.status}${code !== undefined ? ` (code ${code}${subcode !== undefined ? `/${subcode}` : ''})` : ''}: ${message}`
  if (res.status === 429 || isRateLimitCode(code)) throw new GraphRateLimited(summary)
  const temporary = res.status >= 500 || err?.is_transient === true || isTemporaryCode(code)
  throw temporary ? new Error(summary) : new PermanentJobError(summary)
}

/** The id a Graph create call returned (`id` for comments, `message_id` for messages). */
export function createdId(label: string, body: Record<string, unknown>, field: 'id' | 'message_id'): string {
  const value = body[field]
  if (typeof value === 'string' && value) return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  // Sent, most likely, but without an id we cannot match its echo: retrying could post it twice.
  throw new PermanentJobError(`${label} API accepted the reply but returned no ${field}`)
}
