// Enumerations shared by the server, the database and the web app.

export const ROLES = ['superadmin', 'supervisor', 'opd_admin'] as const
export type Role = (typeof ROLES)[number]

export const PLATFORMS = ['website', 'whatsapp', 'instagram', 'facebook', 'tiktok', 'telegram', 'x', 'youtube'] as const
export type Platform = (typeof PLATFORMS)[number]

/** What a thread is: a public comment tree, a private conversation, a mention, or a website question. */
export const ITEM_KINDS = ['comment', 'dm', 'mention', 'form'] as const
export type ItemKind = (typeof ITEM_KINDS)[number]

/** open: awaiting a government answer · answered: the last word is ours · closed: done. */
export const ITEM_STATUSES = ['open', 'answered', 'closed'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

export const REPLY_STATES = ['pending', 'sent', 'failed'] as const
export type ReplyState = (typeof REPLY_STATES)[number]

export const DELIVERY_STATES = ['pending', 'processed', 'failed'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** Upper bounds for every string that crosses the wire. */
export const LIMITS = {
  name: 120,
  contact: 120,
  username: 64,
  password: 256,
  questionText: 4000,
  replyText: 4000,
  reason: 500,
  trackingCode: 16,
  idempotencyKey: 128,
  opdCode: 32,
} as const

export const PRIORITIES = ['normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

/** When an SLA policy applies: every listed condition must match; an empty list matches all. */
export interface SlaConditions {
  platforms?: Platform[]
  kinds?: ItemKind[]
  opdIds?: number[]
  priorities?: Priority[]
}
