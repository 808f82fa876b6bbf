// Replying on YouTube: comments.insert with the thread's top-level comment as parent (YouTube has
// one level of replies, so an answer to a reply goes to its thread). Costs 50 quota units.
import { PermanentJobError } from '../../jobs/registry.ts'
import type { Sender, SendRequest } from '../types.ts'
import { bearer, call, type CallResult, COST, isTemporary } from './api.ts'
import { isId } from './formats.ts'

/** YouTube's limit for a comment's text. */
const MAX_COMMENT = 10_000

const fail = (err: unknown): Error => {
  const message = err instanceof Error ? err.message : String(err)
  return isTemporary(err) ? new Error(message) : new PermanentJobError(message)
}

/** A reply the day's quota cannot pay for is refused before it is sent. */
export const sendYoutube: Sender = async (req: SendRequest) => {
  if (!isId(req.externalThreadId)) throw new PermanentJobError('YouTube reply: the thread has no valid comment id')
  if (!req.text.trim()) throw new PermanentJobError('YouTube reply: the text is empty')
  if (req.text.length > MAX_COMMENT) throw new PermanentJobError(`YouTube reply: longer than ${MAX_COMMENT} characters`)
  if (req.quota && req.quota.left() < COST.insert) {
    throw new PermanentJobError('YouTube reply: the daily quota is used up (resets at midnight Pacific Time, 14:00–15:00 WIB)')
  }
  let auth: string
  try {
    auth = bearer(req.channel)
  } catch (err) {
    throw fail(err)
  }
  req.quota?.spend(COST.insert)
  let created: CallResult
  try {
    created = await call(
      req.fetch,
      `${req.apiBase}/comments?part=snippet`,
      {
        method: 'POST',
        auth,
        body: { snippet: { parentId: req.externalThreadId, textOriginal: req.text } },
      },
      'comments.insert',
    )
  } catch (err) {
    throw fail(err)
  }
  const id = created.json.id
  // A 2xx without an id: the comment may exist, and sending again could post it twice.
  if (!isId(id)) throw new PermanentJobError('YouTube comments.insert: the response has no comment id; check the thread before sending again')
  return { externalId: id }
}
