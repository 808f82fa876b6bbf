// A Facebook Page delivery (object "page") into events: feed comments, mentions and Messenger
// messages, for every entry (Meta batches up to 1000 changes, possibly of several Pages).
import type { Normalizer } from '../types.ts'
import { feedChange, mentionChange } from './feed.ts'
import { messagingEvents } from './messaging.ts'
import { finish, type Outcome } from './outcome.ts'
import { changesOf, id, metaTime, parseMetaBody } from './payload.ts'

/** The app id of Facebook's own Page Inbox (Meta Business Suite): a reply typed natively by staff. */
export const PAGE_INBOX_APP_ID = '263902037430900'

const MESSENGER_LABELS = {
  citizen: 'Pengguna Messenger',
  account: (appId: string | undefined) => (appId === PAGE_INBOX_APP_ID ? 'Admin Halaman (Page Inbox)' : 'Admin Halaman'),
}

/** Unknown fields and event types are skipped; see finish() for when it throws. */
export const normalizeFacebook: Normalizer = (delivery) => {
  const { entries } = parseMetaBody(delivery.rawBody, 'page')
  const out: Outcome = { events: [], problems: [] }
  for (const entry of entries) {
    const pageId = id(entry.id)
    const entryMs = metaTime(entry.time) ?? delivery.receivedAt
    const changes = Array.isArray(entry.changes) ? changesOf(entry) : []
    if (changes.length && !pageId) out.problems.push('feed entry without a Page id')
    else {
      for (const { field, value } of changes) {
        if (field === 'feed') feedChange(pageId!, value, entryMs, out)
        else if (field === 'mention') mentionChange(pageId!, value, entryMs, out)
      }
    }
    messagingEvents(entry, pageId, delivery.receivedAt, MESSENGER_LABELS, out)
  }
  return finish(out)
}
