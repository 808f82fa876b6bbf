// Instagram professional accounts: comments, live comments, mentions and Direct messages
// (platform-specs.md §3–§4), through the shared Meta webhook (../meta/receiver.ts) with object "instagram".
import { guarded } from '../facebook/outcome.ts'
import { wantsProfileName } from '../meta/profiles.ts'
import type { Connector } from '../types.ts'
import { enrichInstagram, wantsMentionText } from './enrich.ts'
import { normalizeInstagram } from './normalize.ts'
import { sendInstagram, testInstagram } from './send.ts'

export const instagramConnector: Connector = {
  platforms: ['instagram'],
  normalize: guarded('Instagram', normalizeInstagram),
  // Mentions carry ids only, Direct messages the citizen's scoped id only: the text and the name are read from the Graph API before storing.
  enrich: enrichInstagram,
  enriches: (e) => wantsMentionText(e) || wantsProfileName(e),
  send: sendInstagram,
  testConnection: testInstagram,
  // Direct messages allow a free-form reply within 24 h of the citizen's last message; comments have no window.
  replyWindowHours: { dm: 24 },
  // Well under the documented 100–300 messages/s; bursts of comment replies get flagged as spam first.
  sendsPerSecond: 10,
}
