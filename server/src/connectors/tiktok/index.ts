// TikTok (API for Business): video comments and Business Messaging DMs, both through the one
// webhook at /webhooks/tiktok (receiver.ts). No messaging window is documented for replies
// (⚠ platform-specs.md §13), so none is enforced; nor are send rates (⚠ not documented: TikTok's
// rate-limit code 40100 is retried with backoff instead).
import type { Connector } from '../types.ts'
import { normalizeTiktok } from './normalize.ts'
import { sendTiktok } from './send.ts'
import { testTiktokConnection } from './test-connection.ts'

export const tiktokConnector: Connector = {
  platforms: ['tiktok'],
  normalize: normalizeTiktok,
  send: sendTiktok,
  testConnection: testTiktokConnection,
}
