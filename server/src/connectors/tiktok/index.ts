// TikTok (API for Business): video comments and Business Messaging DMs, both through the one
// webhook at /webhooks/tiktok (receiver.ts). No messaging window is documented for replies
// (⚠ platform-specs.md §13), so none is enforced; nor are send rates (⚠ not documented: TikTok's
// rate-limit code 40100 is retried with backoff instead).
import type { Connector } from '../types.ts'
import { enrichTiktok } from './enrich.ts'
import { normalizeTiktok } from './normalize.ts'
import { sendTiktok } from './send.ts'
import { testTiktokConnection } from './test-connection.ts'

export const tiktokConnector: Connector = {
  platforms: ['tiktok'],
  normalize: normalizeTiktok,
  // comment.update may come without text (⚠ disputed) and documents no username or owner: comment/list fills them in before storing.
  enrich: enrichTiktok,
  send: sendTiktok,
  testConnection: testTiktokConnection,
}
