// Messaging windows: WhatsApp, Messenger and Instagram allow a free-form reply only within some
// hours of the citizen's last message. Null means the platform sets no window for this thread.
import type { ItemKind, Platform } from '@tanggap/shared'
import { connectorFor } from '../../connectors/index.ts'

export function replyWindowClosesAt(item: { platform: Platform; kind: ItemKind; lastInboundAt: number | null }): number | null {
  const hours = connectorFor(item.platform)?.replyWindowHours?.[item.kind]
  if (hours === undefined || item.lastInboundAt === null) return null
  return item.lastInboundAt + hours * 3_600_000
}
