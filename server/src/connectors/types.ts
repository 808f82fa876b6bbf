// The contract every platform connector implements: verify and accept webhook deliveries,
// normalize a stored delivery into platform-neutral events, and send a reply back.
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import type { ItemKind, Platform } from '@tanggap/shared'

export type Fetch = typeof globalThis.fetch

/** A stored delivery as a normalizer sees it. */
export interface DeliveryInput {
  id: number
  platform: Platform
  /** The channel a receiver already knew (Telegram path, website form); null when the body names the account. */
  channelId: number | null
  /** The key the receiver stored it under (e.g. "telegram:<botId>:<update_id>": Telegram bodies do not name the bot). */
  dedupeKey: string
  rawBody: Buffer
  receivedAt: number
  trackingCode: string | null
}

/** One change to one message, in the platform-neutral model. */
export interface NormalizedEvent {
  /** Defaults to the delivery's platform (a Meta delivery can name another Meta platform). */
  platform?: Platform
  /** The platform's id of the account the event belongs to (page, IG account, phone number id, bot, channel…). */
  accountId: string
  /** add: a new message · edit: new text for a known message · delete: the author removed it. */
  verb: 'add' | 'edit' | 'delete'
  kind: ItemKind
  /** The platform's id of the thread root (top-level comment id, conversation id, tracking code). */
  externalThreadId: string
  /** The platform's id of this message; unique per platform. Kept as a string. */
  externalId: string
  /** The message this one answers, when the platform says. */
  parentExternalId?: string | null
  /** out: the government's own account wrote it (a native reply or the echo of ours). */
  direction: 'in' | 'out'
  authorName: string
  authorExternalId: string | null
  text: string
  /** The platform's own time of the event, in epoch milliseconds. */
  sentAt: number
  citizenContact?: string | null
  topic?: string | null
  trackingCode?: string | null
  /** An OPD chosen by the citizen or a rule; otherwise the channel's OPD. */
  opdId?: number | null
  /** False for a citizen event that asks nothing (a reaction): stored, but no awaiting period starts. */
  needsResponse?: boolean
}

/** What became of a message we sent, as the platform reports it later (WhatsApp statuses). */
export interface DeliveryStatus {
  accountId: string
  /** The platform's id of our message (replies.external_id). */
  externalId: string
  status: 'sent' | 'delivered' | 'read' | 'failed'
  at: number
  /** For 'failed': the platform's reason, shown on the reply. */
  error?: string
}

export interface NormalizeContext {
  opdIdByCode(code: string): number | undefined
  triageOpdId(): number
}

/** Throws for a body it cannot read; the delivery is then marked failed with the reason. */
export type Normalizer = (delivery: DeliveryInput, ctx: NormalizeContext) => NormalizedEvent[]

/** A channel with its secrets opened, for receivers and senders. */
export interface OpenChannel {
  id: number
  platform: Platform
  accountId: string
  name: string
  credentials: Record<string, string>
  settings: Record<string, string>
}

export interface SendRequest {
  replyId: number
  text: string
  channel: OpenChannel
  kind: ItemKind
  externalThreadId: string
  /** The latest citizen message of the thread (what a reply answers). */
  replyToExternalId: string | null
  /** The citizen's platform id (a DM recipient). */
  recipientExternalId: string | null
  /** The platform API's base URL from configuration. */
  apiBase: string
  fetch: Fetch
  /** For platforms with a daily quota (YouTube): what is left today, and counting what a send spends. */
  quota?: { left(): number; spend(units: number): void }
}

/** Returns the platform's id of the message it created. Throws PermanentJobError for errors retries cannot fix. */
export type Sender = (req: SendRequest) => Promise<{ externalId: string }>

/** What a webhook receiver may do: find channels with their secrets and store a delivery. */
export interface ReceiverDeps {
  channelsOf(platforms: Platform[]): readonly OpenChannel[]
  channelByAccount(platform: Platform, accountId: string): OpenChannel | undefined
  /** Stores the delivery (deduped by key) and queues its processing; nothing else belongs in the request. */
  accept(d: { platform: Platform; channelId: number | null; dedupeKey: string; rawBody: Buffer }): Promise<void>
  clock(): number
}

/** Webhook routes (verification and acceptance) registered in the raw-body scope. */
export type Receiver = FastifyPluginAsync<ReceiverDeps>

export interface PollContext {
  channel: OpenChannel
  apiBase: string
  fetch: Fetch
  /** Units of the platform's daily quota left for this channel today. */
  quotaLeft(): number
  /** Counts units spent against the daily quota. */
  spend(units: number): void
}

export interface PollResult {
  /** Raw response bodies to store as deliveries (each is normalized by the connector later). */
  pages: Buffer[]
  /** Settings to keep for the next poll (e.g. the newest comment time seen). */
  settings?: Record<string, string>
}

/** For platforms without webhooks (YouTube): fetch what is new since the channel's last poll. */
export type Poller = (ctx: PollContext) => Promise<PollResult>

/** What an enrich hook may use besides the channel: the process's clock (for what it remembers) and the job's logger. */
export interface EnrichContext {
  clock(): number
  log: Pick<FastifyBaseLogger, 'warn'>
}

export interface Connector {
  /** The platforms whose deliveries this connector normalizes and whose replies it sends. */
  platforms: Platform[]
  normalize: Normalizer
  /** Fills in what a delivery leaves out (a mention's or comment's text) with API calls, before the events are stored. A failure keeps the events as they are. */
  enrich?: (events: NormalizedEvent[], channel: OpenChannel, apiBase: string, fetch: Fetch, ctx: EnrichContext) => Promise<NormalizedEvent[]>
  /** The events enrich may change; a batch without any skips it, and so is stored without waiting on anything. */
  enriches?: (event: NormalizedEvent) => boolean
  /** Reports about our sent messages in a delivery; a 'failed' one fails the reply and reopens the clock it had stopped. */
  statuses?: (delivery: DeliveryInput) => DeliveryStatus[]
  send?: Sender
  poll?: Poller
  /** Checks the channel's credentials against the platform; resolves to what it found (e.g. the page name) or throws. */
  testConnection?: (channel: OpenChannel, apiBase: string, fetch: Fetch) => Promise<string>
  /** Hours after the citizen's last message during which a free-form reply is allowed, per item kind. */
  replyWindowHours?: Partial<Record<ItemKind, number>>
  /** Sends per second per channel the platform tolerates. */
  sendsPerSecond?: number
  /** Daily API quota per channel, in the platform's units (YouTube: 10,000). */
  dailyQuota?: number
  /** The time zone whose midnight resets the quota (YouTube: America/Los_Angeles). */
  quotaTimeZone?: string
}
