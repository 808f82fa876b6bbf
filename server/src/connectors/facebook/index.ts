// Facebook Pages: feed comments, mentions and Messenger (platform-specs.md §1–§2). Deliveries come
// through the shared Meta webhook (../meta/receiver.ts) with object "page".
import { MESSENGER_PROFILE, wantsProfileName, withProfileNames } from '../meta/profiles.ts'
import type { Connector } from '../types.ts'
import { normalizeFacebook } from './normalize.ts'
import { guarded } from './outcome.ts'
import { sendFacebook, testFacebook } from './send.ts'

export const facebookConnector: Connector = {
  platforms: ['facebook'],
  normalize: guarded('Facebook', normalizeFacebook),
  // Messenger webhooks carry the citizen's page-scoped id only: the name is read from the Graph API before storing.
  enrich: (events, channel, apiBase, fetch, ctx) => withProfileNames(MESSENGER_PROFILE, events, channel, apiBase, fetch, ctx),
  enriches: wantsProfileName,
  send: sendFacebook,
  testConnection: testFacebook,
  // Messenger allows a free-form reply within 24 h of the citizen's last message; comments have no window.
  replyWindowHours: { dm: 24 },
  // Messenger takes 300/s per Page, but bursts of Page comments get flagged as spam long before that.
  sendsPerSecond: 10,
}
