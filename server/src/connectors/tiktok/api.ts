// Calls to the TikTok API for Business: Access-Token header, JSON bodies, and the envelope
// { code, message, request_id, data } where code 0 is success. TikTok usually answers HTTP 200
// with a non-zero code, so both the status and the code decide what a failure means:
//   retried  — HTTP 5xx/429/408, network errors, code 40100 (rate limit: QPS/QPM/QPD) and codes
//              5xxxx (system error / system busy);
//   permanent — other 4xx and codes (40001 no permission, 40002 bad parameter, 40007 not found,
//              40064 message blocked by messaging rules, 40105 bad/revoked token, …).
// ⚠ The code list is not in the sources we could read in full (platform-specs.md §8.3e); the codes
// above are the ones TikTok Business Messaging integrators document.
import { PermanentJobError } from '../../jobs/registry.ts'
import { clip, field, obj, parseJsonKeepingIds, type Json } from '../read.ts'
import type { Fetch } from '../types.ts'

const TIMEOUT_MS = 20_000

export interface TiktokCall {
  apiBase: string
  fetch: Fetch
  accessToken: string
  method: 'GET' | 'POST'
  /** Relative path with its trailing slash, e.g. "business/comment/reply/create/". */
  path: string
  query?: Record<string, string>
  body?: unknown
  /** Defaults to 20 s; lookups made while a delivery waits use less. */
  timeoutMs?: number
}

const temporaryCode = (code: number) => code === 40100 || (code >= 50000 && code < 60000)
const temporaryStatus = (status: number) => status >= 500 || status === 429 || status === 408

function codeOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,9}$/.test(v) ? Number(v) : NaN
  return Number.isInteger(n) ? n : undefined
}

/** Performs the call and returns `data` of a code-0 answer; throws PermanentJobError or a plain Error (retry) otherwise. */
export async function callTiktok(call: TiktokCall): Promise<Json> {
  const url = new URL(call.path, call.apiBase.endsWith('/') ? call.apiBase : `${call.apiBase}/`)
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v)
  let res: Response
  let text: string
  try {
    res = await call.fetch(url, {
      method: call.method,
      headers: { 'Access-Token': call.accessToken, ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs ?? TIMEOUT_MS),
    })
    text = await res.text()
  } catch (err) {
    const failure = new Error(`TikTok ${call.path}: no answer (${err instanceof Error ? err.message : String(err)})`)
    // Keep a timeout recognisable to callers that word it for users (the channel test).
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) failure.name = err.name
    throw failure
  }
  let body: unknown
  try {
    body = parseJsonKeepingIds(text)
  } catch {
    body = undefined
  }
  const code = codeOf(field(body, 'code'))
  if (res.ok && code === 0) return obj(field(body, 'data')) ?? {}

  const rawMessage = field(body, 'message') ?? field(body, 'error', 'message')
  const message = typeof rawMessage === 'string' && rawMessage ? clip(rawMessage, 300) : clip(text.replace(/\s+/g, ' '), 200) || 'no message'
  const requestId = field(body, 'request_id')
  const detail = `TikTok ${call.path} failed (HTTP ${res.status}${code === undefined ? '' : `, code ${code}`}): ${message}${typeof requestId === 'string' ? ` [request_id ${clip(requestId, 80)}]` : ''}`
  if (temporaryStatus(res.status) || (code !== undefined && temporaryCode(code))) throw new Error(detail)
  if (!res.ok || code !== undefined) throw new PermanentJobError(detail)
  // A 2xx without an envelope is not TikTok speaking (a proxy, a captive portal): try again later.
  throw new Error(`TikTok ${call.path}: unreadable answer (HTTP ${res.status})`)
}
