// A stored TikTok delivery → platform-neutral events. The envelope is generic to TikTok Business
// webhooks: { client_key, event, create_time (s), user_openid, content }, where `content` is a JSON
// string to parse a second time (platform-specs.md §8.1b). `user_openid` is the business account's
// open id — the channel's accountId. Events we do not ingest (im_mark_read_msg, authorization…)
// give no events; a body we cannot read throws a plain Error saying why.
import { epochMs, isObject, parseObject, type Json } from '../read.ts'
import type { Normalizer, NormalizedEvent } from '../types.ts'
import { idOf } from './formats.ts'
import { normalizeComment } from './normalize-comment.ts'
import { normalizeMessage } from './normalize-message.ts'

function parseContent(event: string, content: unknown): Json {
  const what = `TikTok ${event} content`
  if (typeof content === 'string') return parseObject(content, what)
  if (!isObject(content)) throw new Error(`${what} is not a JSON object`)
  return content
}

function read(rawBody: Buffer, receivedAt: number): NormalizedEvent[] {
  const envelope = parseObject(rawBody.toString('utf8'), 'TikTok delivery')
  if (typeof envelope.event !== 'string' || !envelope.event) throw new Error('TikTok delivery without an event name')
  const event = envelope.event.slice(0, 100)
  const lower = event.toLowerCase()
  // comment.update is the event name; ⚠ subscriptions are made with event_type COMMENT, so accept that spelling too.
  const isComment = lower === 'comment.update' || lower === 'comment'
  const isMessage = lower === 'im_receive_msg' || lower === 'im_send_msg'
  if (!isComment && !isMessage) return []

  const accountId = idOf(envelope.user_openid)
  if (!accountId) throw new Error(`TikTok ${event} without a usable user_openid (the account it belongs to)`)
  const content = parseContent(event, envelope.content)
  const fallbackTime = epochMs(envelope.create_time) ?? receivedAt
  return isComment
    ? normalizeComment(accountId, content, fallbackTime)
    : normalizeMessage(accountId, lower as 'im_receive_msg' | 'im_send_msg', content, fallbackTime)
}

export const normalizeTiktok: Normalizer = (delivery) => {
  try {
    return read(delivery.rawBody, delivery.receivedAt)
  } catch (err) {
    // Only plain Errors with a readable reason leave (a RangeError from a pathological body included).
    if (err instanceof Error && err.constructor === Error) throw err
    throw new Error(`TikTok delivery could not be read: ${err instanceof Error ? err.name : typeof err}`)
  }
}
