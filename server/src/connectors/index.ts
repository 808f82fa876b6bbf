// Connectors by platform. Platforms without one yet keep their deliveries stored (pending) and
// fail replies with a clear reason, until their connector lands.
import type { Platform } from '@tanggap/shared'
import type { Connector } from './types.ts'
import { normalizeWebsite } from './website/normalize.ts'
import { sendWebsite } from './website/send.ts'

export const CONNECTORS: Partial<Record<Platform, Connector>> = {
  website: { normalize: normalizeWebsite, send: sendWebsite },
}
