// X (Twitter) through the Account Activity API: mentions, replies and DMs of the government's
// account arrive at /webhooks/x (receiver.ts); replies go out through the v2 API (send.ts).
// ⚠ X is replacing AAA with the X Activity API (XAA), whose payloads differ (platform-specs.md §9).
import type { Connector } from '../types.ts'
import { normalizeX } from './normalize.ts'
import { sendX, testXConnection } from './send.ts'

export const xConnector: Connector = {
  platforms: ['x'],
  normalize: normalizeX,
  send: sendX,
  testConnection: testXConnection,
  // No reply window: public replies are always allowed, and X documents none for DMs.
  // No sendsPerSecond either: X's limits are per 15-minute window (⚠ about 100 posts and 200 DMs per
  // user, plan-dependent), not a steady rate; a 429 is retried with backoff.
}
