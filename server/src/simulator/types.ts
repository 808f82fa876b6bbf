// The pieces each platform adds to the simulator: a fake of its API (answers like the platform,
// records what it receives) and a maker of signed, realistic webhook deliveries.
import type { IncomingHttpHeaders } from 'node:http'
import type { ItemKind, Platform } from '@tanggap/shared'

export interface ApiCall {
  platform: Platform
  method: string
  /** The path after /<platform>, e.g. "/106540352242922/messages". */
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  /** Parsed JSON or form body, or the raw text. */
  body: unknown
  at: number
}

export interface ApiAnswer {
  status: number
  body: unknown
}

/** One platform's fake API: answers a call as the platform would. */
export type PlatformApi = (call: ApiCall) => ApiAnswer

/** A demo channel as the simulator knows it (from the demo seed). */
export interface SimChannel {
  platform: Platform
  accountId: string
  name: string
  credentials: Record<string, string>
}

/** What a citizen (or the government's own account) posts in a simulated delivery. */
export interface SimPost {
  kind: ItemKind
  text: string
  authorName: string
  /** The author's platform id (numeric strings where the platform uses numbers). */
  authorId: string
  /** The platform id of the new message. */
  messageId: string
  /** The thread it belongs to (a post/video id for comments, a conversation/chat id for DMs). */
  threadId: string
  /** For a reply: the message it answers. */
  parentId?: string
  /** True when the government's own account wrote it (a native reply). */
  fromAccount?: boolean
  /** Epoch milliseconds. */
  at: number
}

export interface SimDelivery {
  method: 'POST'
  /** Path on Tanggap, e.g. "/webhooks/meta". */
  path: string
  headers: Record<string, string>
  body: string
}

export interface DeliveryMaker {
  platform: Platform
  /** The item kinds this platform's deliveries can carry. */
  kinds: ItemKind[]
  /** Builds one signed delivery carrying these posts (batched where the platform batches). */
  make(channel: SimChannel, posts: SimPost[]): SimDelivery
}

/** For polled platforms (YouTube): the posts go into the fake API's state, where Tanggap's next poll finds them. */
export interface PolledMaker {
  platform: Platform
  kinds: ItemKind[]
  add(channel: SimChannel, posts: SimPost[]): string[]
}
