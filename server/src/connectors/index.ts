// Connectors by platform, and the webhook receivers that feed them.
import type { Platform } from '@tanggap/shared'
import { facebookConnector } from './facebook/index.ts'
import { instagramConnector } from './instagram/index.ts'
import { metaReceiver } from './meta/receiver.ts'
import { telegramConnector } from './telegram/index.ts'
import { telegramReceiver } from './telegram/receiver.ts'
import { tiktokConnector } from './tiktok/index.ts'
import { tiktokReceiver } from './tiktok/receiver.ts'
import type { Connector, Receiver } from './types.ts'
import { websiteConnector } from './website/index.ts'
import { whatsappConnector } from './whatsapp/index.ts'
import { xConnector } from './x/index.ts'
import { xReceiver } from './x/receiver.ts'
import { youtubeConnector } from './youtube/index.ts'

export const CONNECTORS: Connector[] = [
  websiteConnector,
  facebookConnector,
  instagramConnector,
  whatsappConnector,
  telegramConnector,
  xConnector,
  tiktokConnector,
  youtubeConnector,
]

/** One Meta endpoint serves Facebook, Instagram and WhatsApp; the other platforms have their own. */
export const RECEIVERS: Receiver[] = [metaReceiver, telegramReceiver, xReceiver, tiktokReceiver]

const byPlatform = new Map<Platform, Connector>(CONNECTORS.flatMap((c) => c.platforms.map((p) => [p, c] as const)))

export const connectorFor = (platform: Platform): Connector | undefined => byPlatform.get(platform)
