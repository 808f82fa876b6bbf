// Calling the Bot API: POST {apiBase}/bot<token>/<method> with JSON; the answer is {ok:true, result}
// or {ok:false, error_code, description, parameters?}. 429 (flood control, parameters.retry_after)
// and 5xx are worth retrying; other 4xx ("Forbidden: bot was blocked by the user", "Bad Request:
// chat not found", "Unauthorized") are not.
import { PermanentJobError } from '../../jobs/registry.ts'
import { isObject } from '../read.ts'
import type { Fetch, OpenChannel } from '../types.ts'

const TIMEOUT_MS = 15_000
/** "<bot id>:<secret>" — checked so that the token cannot change the URL's path. */
const BOT_TOKEN = /^(\d{1,20}):[A-Za-z0-9_-]{1,200}$/

/** The channel's bot token; it must belong to the channel's bot, or replies would go out through another one. */
export function botTokenOf(channel: Pick<OpenChannel, 'accountId' | 'credentials'>): string {
  const token = channel.credentials.botToken
  const match = token ? BOT_TOKEN.exec(token) : null
  if (!token || !match) throw new PermanentJobError('The Telegram channel has no valid bot token')
  if (channel.accountId && match[1] !== channel.accountId) {
    throw new PermanentJobError(`The bot token belongs to bot ${match[1]}, not to this channel's bot ${channel.accountId}`)
  }
  return token
}

const temporary = (status: number) => status === 408 || status === 429 || status >= 500

/** Calls a Bot API method and returns its result; throws PermanentJobError for errors a retry cannot fix. */
export async function callBotApi(
  apiBase: string,
  token: string,
  method: string,
  params: Record<string, unknown> | null,
  fetch: Fetch,
  timeoutMs = TIMEOUT_MS,
): Promise<unknown> {
  const redact = (s: string) => s.split(token).join('<token>')
  let status: number
  let raw: string
  try {
    const res = await fetch(`${apiBase}/bot${token}/${method}`, {
      method: params ? 'POST' : 'GET',
      headers: params ? { 'content-type': 'application/json' } : {},
      body: params ? JSON.stringify(params) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    })
    status = res.status
    raw = await res.text()
  } catch (err) {
    // The URL holds the token: never let it into an error message.
    throw new Error(
      `Telegram ${method}: network error: ${redact(err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err))}`,
    )
  }
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    body = null
  }
  if (status >= 200 && status < 300 && isObject(body) && body.ok === true) return body.result
  const code = isObject(body) && typeof body.error_code === 'number' && Number.isInteger(body.error_code) ? body.error_code : status
  const description = isObject(body) && typeof body.description === 'string' ? redact(body.description.slice(0, 300)) : `HTTP ${status}`
  const retryAfter = isObject(body) && isObject(body.parameters) && typeof body.parameters.retry_after === 'number' ? body.parameters.retry_after : null
  const message = `Telegram ${method} ${code}: ${description}${retryAfter !== null ? ` (retry after ${retryAfter} s)` : ''}`
  if (temporary(status) || temporary(code)) throw new Error(message)
  // A 2xx without {ok:true} leaves it unknown whether the message went out: better shown than sent twice.
  throw new PermanentJobError(message)
}
