// An X Account Activity delivery → platform-neutral events. One delivery names one subscribed
// account (for_user_id) and may batch several events of a type. Likes, follows, typing, read
// receipts and revokes are not conversation: such deliveries give no events.
import { parseObject, type Json } from '../read.ts'
import type { Normalizer, NormalizedEvent } from '../types.ts'
import { readDm, usersOf } from './dms.ts'
import { idStr } from './formats.ts'
import { readTweet, readTweetDelete, Unreadable, type XContext } from './tweets.ts'

type Reader = (entry: unknown, x: XContext, body: Json) => NormalizedEvent | null

const READERS: Record<string, Reader> = {
  tweet_create_events: (entry, x) => readTweet(entry, x),
  tweet_delete_events: (entry, x) => readTweetDelete(entry, x),
  direct_message_events: (entry, x, body) => readDm(entry, x, usersOf(body)),
}

export const normalizeX: Normalizer = (delivery) => {
  // Plain JSON.parse: X gives every id as a string (id_str), and a bare numeric id is refused, not kept.
  const body = parseObject(delivery.rawBody.toString('utf8'), 'X delivery', JSON.parse)
  const present = Object.keys(READERS).filter((key) => Object.hasOwn(body, key))
  if (!present.length) return []
  const forUser = idStr(body.for_user_id)
  if (!forUser) throw new Error('X delivery without a string for_user_id')

  const x: XContext = { forUser, receivedAt: delivery.receivedAt }
  const events: NormalizedEvent[] = []
  const problems: string[] = []
  let entries = 0
  for (const key of present) {
    const list = body[key]
    if (!Array.isArray(list)) throw new Error(`X delivery: ${key} is not an array`)
    for (const entry of list) {
      entries++
      try {
        const event = READERS[key]!(entry, x, body)
        if (event) events.push(event)
      } catch (err) {
        // One unreadable entry must not cost the batch's other messages.
        problems.push(err instanceof Unreadable ? err.message : `${key}: ${String(err)}`)
      }
    }
  }
  // Nothing readable at all: fail the delivery with the reason, so it is seen and kept.
  if (problems.length && problems.length === entries) throw new Error(`X delivery has no readable event: ${problems[0]}`)
  return events
}
