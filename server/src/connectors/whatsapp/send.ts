// Replies go out as a text message in the citizen's conversation, quoting the citizen's latest
// message (platform-specs.md §5e):
//   POST {apiBase}/{PHONE_NUMBER_ID}/messages  Authorization: Bearer <system-user token>
//   {"messaging_product":"whatsapp","recipient_type":"individual","to":"628…","type":"text",
//    "text":{"body":"…"},"context":{"message_id":"wamid…"}}
// → {"messaging_product":"whatsapp","contacts":[{"input":"628…","wa_id":"628…"}],"messages":[{"id":"wamid…"}]}
import { PermanentJobError } from '../../jobs/registry.ts'
import { field, list, str } from '../read.ts'
import type { Fetch, Sender } from '../types.ts'
import { sendFailure } from './graph-error.ts'

/** WhatsApp's limit for a text message body. */
export const MAX_REPLY_CHARS = 4096

const TIMEOUT_MS = 20_000

/** A business-scoped user id ("US.13491208655302741918"): users who hide their number behind a username. */
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]{1,120}$/

/** POSTs or GETs a Graph endpoint; network failures and timeouts become plain (retryable) errors. */
export async function graphCall(fetch: Fetch, url: string, token: string, body?: unknown): Promise<{ status: number; ok: boolean; json: unknown }> {
  let res: Response
  let raw: string
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    raw = await res.text()
  } catch (err) {
    throw new Error(`WhatsApp API unreachable: ${err instanceof Error ? err.message : String(err)}`)
  }
  let json: unknown = null
  try {
    json = JSON.parse(raw)
  } catch {
    // An HTML error page from a proxy: the status alone decides.
  }
  return { status: res.status, ok: res.ok, json }
}

function recipientOf(externalThreadId: string, recipient: string | null): Record<string, string> {
  // A group thread answers into the group (Cloud API groups ⚠: recipient_type "group").
  if (externalThreadId.startsWith('group:')) return { recipient_type: 'group', to: externalThreadId.slice('group:'.length) }
  if (!recipient) throw new PermanentJobError('No citizen to reply to in this WhatsApp conversation')
  // Username-only users are addressed by BSUID in `recipient` instead of `to` (⚠ new in 2026; restfb send-message-recipient-only.json).
  return BSUID.test(recipient) ? { recipient_type: 'individual', recipient } : { recipient_type: 'individual', to: recipient }
}

export const sendWhatsapp: Sender = async (req) => {
  const token = req.channel.credentials.accessToken
  if (!token) throw new PermanentJobError('This WhatsApp channel has no access token: set one in the channel settings')
  const length = [...req.text].length
  if (length > MAX_REPLY_CHARS)
    throw new PermanentJobError(`WhatsApp allows at most ${MAX_REPLY_CHARS} characters in a message; this reply has ${length}. Shorten it or split it in two.`)
  if (!req.text.trim()) throw new PermanentJobError('WhatsApp does not send an empty message')
  const body = {
    messaging_product: 'whatsapp',
    ...recipientOf(req.externalThreadId, req.recipientExternalId),
    type: 'text',
    text: { body: req.text },
    ...(req.replyToExternalId ? { context: { message_id: req.replyToExternalId } } : {}),
  }
  const res = await graphCall(req.fetch, `${req.apiBase}/${encodeURIComponent(req.channel.accountId)}/messages`, token, body)
  if (!res.ok) throw sendFailure(res.status, res.json)
  const id = str(field(list(field(res.json, 'messages'))?.[0], 'id'), 256)
  // Sent, probably, but unnamed: retrying could send it twice, so stop and say so.
  if (!id) throw new PermanentJobError('WhatsApp accepted the reply but returned no message id; check the conversation in WhatsApp before resending')
  return { externalId: id }
}
