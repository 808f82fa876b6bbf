// What every platform connector produces from a delivery and how it sends a reply.
import type { ItemKind, Platform } from '@tanggap/shared'
import type { DeliveryRow } from '../modules/deliveries/deliveries.repo.ts'

/** One message in the platform-neutral model. */
export interface NormalizedMessage {
  channelId: number
  kind: ItemKind
  /** The platform's id of the thread root (comment id, conversation id, tracking code). */
  externalThreadId: string
  /** The platform's id of this message; unique per platform. */
  externalId: string
  /** out: the government's own account wrote it (a native reply). */
  direction: 'in' | 'out'
  authorName: string
  authorExternalId: string | null
  text: string
  /** The platform's own timestamp, converted to epoch milliseconds. */
  sentAt: number
  citizenContact?: string | null
  topic?: string | null
  trackingCode?: string | null
  /** An OPD chosen by the citizen or a rule; otherwise the channel's OPD decides. */
  opdId?: number | null
}

export interface NormalizeContext {
  /** OPD id by code, for connectors that route by a chosen topic or OPD. */
  opdIdByCode(code: string): number | undefined
  triageOpdId(): number
  channelFor(platform: Platform, accountId: string): { id: number } | undefined
}

export type Normalizer = (delivery: DeliveryRow, ctx: NormalizeContext) => NormalizedMessage[]

export interface SendRequest {
  replyId: number
  text: string
  externalThreadId: string
  channel: { id: number; accountId: string; credentials: Record<string, string> | null }
}

/** Returns the platform's id of the message it created. Throws PermanentJobError for errors retries cannot fix. */
export type Sender = (req: SendRequest) => Promise<{ externalId: string }>

export interface Connector {
  normalize: Normalizer
  send: Sender
}
