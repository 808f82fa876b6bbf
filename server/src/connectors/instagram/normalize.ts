// An Instagram delivery (object "instagram") into events: comments, live comments, mentions and
// Direct messages (Messenger's format), for every entry of the batch.
import { messagingEvents } from '../facebook/messaging.ts'
import { finish, type Outcome } from '../facebook/outcome.ts'
import { changesOf, id, metaTime, parseMetaBody } from '../facebook/payload.ts'
import type { Normalizer } from '../types.ts'
import { commentChange, mentionChange, UNKNOWN_IG_AUTHOR } from './comments.ts'

const DIRECT_LABELS = {
  citizen: UNKNOWN_IG_AUTHOR,
  // ⚠ The Instagram app's own inbox is said to send as app 1217981644879628 (a secondary note only).
  account: () => 'Admin Instagram',
}

/** Unknown fields and event types are skipped; see finish() for when it throws. */
export const normalizeInstagram: Normalizer = (delivery) => {
  const { entries } = parseMetaBody(delivery.rawBody, 'instagram')
  const out: Outcome = { events: [], problems: [] }
  for (const entry of entries) {
    const accountId = id(entry.id)
    const entryMs = metaTime(entry.time) ?? delivery.receivedAt
    const changes = changesOf(entry)
    if (changes.length && !accountId) out.problems.push('Instagram entry without an account id')
    else {
      for (const { field, value } of changes) {
        if (field === 'comments' || field === 'live_comments') commentChange(accountId!, value, entryMs, out)
        else if (field === 'mentions') mentionChange(accountId!, value, entryMs, out)
      }
    }
    messagingEvents(entry, accountId, delivery.receivedAt, DIRECT_LABELS, out)
  }
  return finish(out)
}
