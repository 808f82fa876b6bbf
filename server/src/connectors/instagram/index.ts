// Instagram professional accounts: comments, live comments, mentions and Direct messages
// (platform-specs.md §3–§4), through the shared Meta webhook (../meta/receiver.ts) with object "instagram".
import { guarded } from '../facebook/outcome.ts'
import type { Connector } from '../types.ts'
import { enrichInstagram } from './enrich.ts'
import { normalizeInstagram } from './normalize.ts'
import { sendInstagram, testInstagram } from './send.ts'

export const instagramConnector: Connector = {
  platforms: ['instagram'],
  normalize: guarded('Instagram', normalizeInstagram),
  // Mentions carry ids only: their text is read from the Graph API before they are stored.
  enrich: enrichInstagram,
  send: sendInstagram,
  testConnection: testInstagram,
  // Direct messages allow a free-form reply within 24 h of the citizen's last message; comments have no window.
  replyWindowHours: { dm: 24 },
  // Well under the documented 100–300 messages/s; bursts of comment replies get flagged as spam first.
  sendsPerSecond: 10,
}
