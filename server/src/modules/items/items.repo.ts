// SQL for items, their threads and replies.
import { and, asc, desc, eq, inArray, lt, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { channels, items, messages, opds, replies, slaPolicies, users, type Db } from '@tanggap/db'
import type { ItemStatus, ItemSummary, MessageView, Platform, ReplyView } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'

export type ItemRow = typeof items.$inferSelect

export interface ItemFilter {
  /** null: every OPD. */
  opdIds: number[] | null
  status?: ItemStatus
  opd?: number
  channel?: number
  platform?: Platform
  beforeId?: number
  limit: number
}

const summaryColumns = {
  id: items.id,
  opdId: opds.id,
  opdCode: opds.code,
  opdName: opds.name,
  opdShortName: opds.shortName,
  channelId: items.channelId,
  channelName: channels.name,
  platform: items.platform,
  kind: items.kind,
  status: items.status,
  citizenName: items.citizenName,
  preview: items.preview,
  trackingCode: items.trackingCode,
  firstMessageAt: items.firstMessageAt,
  lastMessageAt: items.lastMessageAt,
  awaitingSince: items.awaitingSince,
  firstResponseSeconds: items.firstResponseSeconds,
  priority: items.priority,
  dueAt: items.dueAt,
  warnAt: items.warnAt,
  breachedAt: items.breachedAt,
  calendarId: slaPolicies.calendarId,
  excludedReason: items.excludedReason,
  updatedAt: items.updatedAt,
}

type SummaryRow = Omit<ItemSummary, 'opd' | 'excludedReason'> & { opdId: number; opdCode: string; opdName: string; opdShortName: string; excludedReason: string | null }

const toSummary = ({ opdId, opdCode, opdName, opdShortName, excludedReason, ...r }: SummaryRow): ItemSummary => ({
  ...r,
  excludedReason: excludedReason as ItemSummary['excludedReason'],
  opd: { id: opdId, code: opdCode, name: opdName, shortName: opdShortName },
})

export function itemsRepo(db: Db) {
  const summaries = () =>
    db.select(summaryColumns).from(items).innerJoin(opds, eq(opds.id, items.opdId)).innerJoin(channels, eq(channels.id, items.channelId)).leftJoin(slaPolicies, eq(slaPolicies.id, items.policyId))

  const replyAuthor = alias(users, 'reply_author')

  return {
    byId: (id: number): ItemRow | undefined => db.select().from(items).where(eq(items.id, id)).get(),
    byTrackingCode: (code: string): ItemRow | undefined => db.select().from(items).where(eq(items.trackingCode, code)).get(),

    summary(id: number): ItemSummary | undefined {
      const row = summaries().where(eq(items.id, id)).get()
      return row && toSummary(row)
    },

    list(f: ItemFilter): ItemSummary[] {
      const where: SQL[] = []
      if (f.opdIds) where.push(inArray(items.opdId, f.opdIds))
      if (f.status) where.push(eq(items.status, f.status))
      if (f.opd) where.push(eq(items.opdId, f.opd))
      if (f.channel) where.push(eq(items.channelId, f.channel))
      if (f.platform) where.push(eq(items.platform, f.platform))
      if (f.beforeId) where.push(lt(items.id, f.beforeId))
      return summaries()
        .where(and(...where))
        .orderBy(desc(items.id))
        .limit(f.limit)
        .all()
        .map(toSummary)
    },

    thread(itemId: number): MessageView[] {
      return db
        .select({ id: messages.id, direction: messages.direction, authorName: messages.authorName, text: messages.text, sentAt: messages.sentAt, editedAt: messages.editedAt, deletedAt: messages.deletedAt })
        .from(messages)
        .where(eq(messages.itemId, itemId))
        .orderBy(asc(messages.sentAt), asc(messages.id))
        .all()
    },

    replies(itemId: number): ReplyView[] {
      return db
        .select({
          id: replies.id, text: replies.text, state: replies.state, error: replies.error,
          authorName: replyAuthor.displayName, createdAt: replies.createdAt, sentAt: replies.sentAt,
        })
        .from(replies)
        .innerJoin(replyAuthor, eq(replyAuthor.id, replies.userId))
        .where(eq(replies.itemId, itemId))
        .orderBy(asc(replies.id))
        .all()
    },

    reply(id: number): ReplyView | undefined {
      return db
        .select({
          id: replies.id, text: replies.text, state: replies.state, error: replies.error,
          authorName: replyAuthor.displayName, createdAt: replies.createdAt, sentAt: replies.sentAt,
        })
        .from(replies)
        .innerJoin(replyAuthor, eq(replyAuthor.id, replies.userId))
        .where(eq(replies.id, id))
        .get()
    },

    update(tx: Tx, id: number, patch: Partial<ItemRow>): void {
      tx.update(items).set(patch).where(eq(items.id, id)).run()
    },
  }
}

export type ItemsRepo = ReturnType<typeof itemsRepo>
