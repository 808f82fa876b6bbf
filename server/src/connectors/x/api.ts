// Calls to the X API v2 with the account's OAuth 2.0 user token. X answers errors as problem JSON
// ({title, detail, type, status}) or {errors: [{message}]}; its words go into our error message.
// 429, 408 and 5xx may pass on retry; any other 4xx will not (PermanentJobError).
import { PermanentJobError } from '../../jobs/registry.ts'
import { obj, str } from '../read.ts'
import type { Fetch } from '../types.ts'

const TIMEOUT_MS = 20_000

/** The platform's own words from an error body, or undefined when it has none we can read. */
export function problemText(body: unknown): string | undefined {
  const b = obj(body)
  if (!b) return undefined
  const parts: string[] = []
  const detail = str(b.detail, 500) ?? str(b.title, 500)
  if (detail) parts.push(detail)
  if (Array.isArray(b.errors)) {
    for (const e of b.errors.slice(0, 3)) {
      const m = str(obj(e)?.message, 500) ?? str(obj(e)?.detail, 500)
      if (m && !parts.includes(m)) parts.push(m)
    }
  }
  return parts.length ? parts.join('; ') : undefined
}

export async function callX(fetch: Fetch, apiBase: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(`${apiBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (err) {
    const wrapped = new Error(`X API unreachable: ${err instanceof Error ? err.message : String(err)}`)
    // Keep TimeoutError/AbortError recognisable to callers that explain timeouts themselves.
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) wrapped.name = err.name
    throw wrapped
  }
  const raw = await res.text().catch(() => '')
  let json: unknown = null
  try {
    json = raw ? JSON.parse(raw) : null
  } catch {
    // Not JSON (a proxy's HTML page): the status and a short excerpt say enough.
  }
  if (res.ok) return json
  const message = `X API ${res.status}: ${problemText(json) ?? (raw.slice(0, 200) || res.statusText)}`
  if (res.status === 429 || res.status === 408 || res.status >= 500) throw new Error(message)
  throw new PermanentJobError(message)
}
