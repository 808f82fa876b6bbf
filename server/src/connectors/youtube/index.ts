// YouTube: comments only, by polling (no webhooks for comments). The poll job stores comment pages
// as deliveries; the normalizer turns them into messages; replies go out through comments.insert.
//
// Quota: 10,000 units a day per project, reset at midnight Pacific Time. Listing costs 1 unit a
// page, a reply 50 (about 200 replies a day if polling takes little). Polls count their units; sends
// do not yet (the sender has no quota context), and a quotaExceeded answer fails the reply for good.
// ⚠ Google OAuth access tokens expire after an hour: without a refresh token flow the channel's
// token must be renewed by hand (polls then fail with authError, recorded as the channel's error).
import type { Connector } from '../types.ts'
import { testYoutubeConnection } from './connection.ts'
import { normalizeYoutube } from './normalize.ts'
import { pollYoutube } from './poll.ts'
import { sendYoutube } from './send.ts'

export const youtubeConnector: Connector = {
  platforms: ['youtube'],
  normalize: normalizeYoutube,
  poll: pollYoutube,
  send: sendYoutube,
  testConnection: testYoutubeConnection,
  // Public comments: no messaging window.
  dailyQuota: 10_000,
  quotaTimeZone: 'America/Los_Angeles',
  // YouTube publishes no per-second limit for comments.insert; stay gentle to avoid spam flags.
  sendsPerSecond: 1,
}
