// SQL for items, their threads and replies.
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, ne, or, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { channels, items, messages, opds, replies, rowInserter, rowReader, rowUpdater, slaPolicies, users, type Db } from '@tanggap/db'
import type { ItemSort, ItemStatus, ItemSummary, MessageView, Platform, ReplyView } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'

export type ItemRow = typeof items.$inferSelect

export interface ItemFilter {
  /** null: every OPD. */
  opdIds: number[] | null
  status?: ItemStatus
  opd?: number
  channel?: number
  platform?: Platform
  sort: ItemSort
  /** Continue after this item (the last one of the previous page). */
  after?: ItemCursor
  limit: number
}

/**
 * Where a page ended. newest: the last id. urgency: the last item's due time (null: the page ended
 * among the items without one, ordered by id descending) and id.
 */
export type ItemCursor = { sort: 'newest'; id: number } | { sort: 'urgency'; dueAt: number | null; id: number }

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

type SummaryRow = Omit<ItemSummary, 'opd' | 'excludedReason'> & {
  opdId: number
  opdCode: string
  opdName: string
  opdShortName: string
  excludedReason: string | null
}

const toSummary = ({ opdId, opdCode, opdName, opdShortName, excludedReason, ...r }: SummaryRow): ItemSummary => ({
  ...r,
  excludedReason: excludedReason as ItemSummary['excludedReason'],
  opd: { id: opdId, code: opdCode, name: opdName, shortName: opdShortName },
})

export function itemsRepo(db: Db) {
  const summaries = () =>
    db
      .select(summaryColumns)
      .from(items)
      .innerJoin(opds, eq(opds.id, items.opdId))
      .innerJoin(channels, eq(channels.id, items.channelId))
      .leftJoin(slaPolicies, eq(slaPolicies.id, items.policyId))

  const replyAuthor = alias(users, 'reply_author')
  const replyViews = () =>
    db
      .select({
        id: replies.id,
        text: replies.text,
        state: replies.state,
        error: replies.error,
        authorName: replyAuthor.displayName,
        createdAt: replies.createdAt,
        sentAt: replies.sentAt,
      })
      .from(replies)
      .innerJoin(replyAuthor, eq(replyAuthor.id, replies.userId))
  const updateItem = rowUpdater(db, items)
  const lastOutbound = db.$client.prepare<[number], { at: number | null }>("SELECT max(sent_at) AS at FROM messages WHERE item_id = ? AND direction = 'out'")
  // Every change publishes the item's summary: the one-item read is prepared once.
  const summaryById = db.$client.prepare<[number], SummaryRow>(`
    SELECT i.id, o.id AS opdId, o.code AS opdCode, o.name AS opdName, o.short_name AS opdShortName, i.channel_id AS channelId,
           c.name AS channelName, i.platform, i.kind, i.status, i.citizen_name AS citizenName, i.preview, i.tracking_code AS trackingCode,
           i.first_message_at AS firstMessageAt, i.last_message_at AS lastMessageAt, i.awaiting_since AS awaitingSince,
           i.first_response_seconds AS firstResponseSeconds, i.priority, i.due_at AS dueAt, i.warn_at AS warnAt, i.breached_at AS breachedAt,
           p.calendar_id AS calendarId, i.excluded_reason AS excludedReason, i.updated_at AS updatedAt
      FROM items i JOIN opds o ON o.id = i.opd_id JOIN channels c ON c.id = i.channel_id LEFT JOIN sla_policies p ON p.id = i.policy_id
     WHERE i.id = ?`)

  return {
    byId: rowReader(db, items, 'id = ?') as (id: number) => ItemRow | undefined,
    byThread: rowReader(db, items, 'channel_id = ? AND external_thread_id = ?') as (channelId: number, externalThreadId: string) => ItemRow | undefined,
    /** When the government last wrote in the thread (null: never). */
    lastOutboundAt: (itemId: number): number | null => lastOutbound.get(itemId)?.at ?? null,
    byTrackingCode: (code: string): ItemRow | undefined => db.select().from(items).where(eq(items.trackingCode, code)).get(),

    summary(id: number): ItemSummary | undefined {
      const row = summaryById.get(id)
      return row && toSummary(row)
    },

    /**
     * One page in the requested order (shared/src/inbox-order.ts states the urgency rule). Urgency
     * reads in two runs, each an exact keyset: items with a running due time by (due, id), then
     * the others by id descending, so paging never skips or repeats an item.
     */
    list(f: ItemFilter): ItemSummary[] {
      const where: SQL[] = []
      if (f.opdIds) where.push(inArray(items.opdId, f.opdIds))
      if (f.status) where.push(eq(items.status, f.status))
      if (f.opd) where.push(eq(items.opdId, f.opd))
      if (f.channel) where.push(eq(items.channelId, f.channel))
      if (f.platform) where.push(eq(items.platform, f.platform))
      const newestRun = (extra: SQL[], limit: number, beforeId?: number) =>
        summaries()
          .where(and(...where, ...extra, ...(beforeId !== undefined ? [lt(items.id, beforeId)] : [])))
          .orderBy(desc(items.id))
          .limit(limit)
          .all()
          .map(toSummary)

      if (f.sort === 'newest') return newestRun([], f.limit, f.after?.id)

      const after = f.after?.sort === 'urgency' ? f.after : undefined
      // A closed item's due time does not count (the same rule as urgencyDueAt).
      const running = and(isNotNull(items.dueAt), ne(items.status, 'closed'))!
      const notRunning = or(isNull(items.dueAt), eq(items.status, 'closed'))!
      let page: ItemSummary[] = []
      if (!after || after.dueAt !== null) {
        const keyset = after ? [or(gt(items.dueAt, after.dueAt!), and(eq(items.dueAt, after.dueAt!), gt(items.id, after.id)))!] : []
        page = summaries()
          .where(and(...where, running, ...keyset))
          .orderBy(asc(items.dueAt), asc(items.id))
          .limit(f.limit)
          .all()
          .map(toSummary)
      }
      if (page.length < f.limit) page = page.concat(newestRun([notRunning], f.limit - page.length, after?.dueAt === null ? after.id : undefined))
      return page
    },

    thread(itemId: number): MessageView[] {
      return db
        .select({
          id: messages.id,
          direction: messages.direction,
          authorName: messages.authorName,
          text: messages.text,
          sentAt: messages.sentAt,
          editedAt: messages.editedAt,
          deletedAt: messages.deletedAt,
        })
        .from(messages)
        .where(eq(messages.itemId, itemId))
        .orderBy(asc(messages.sentAt), asc(messages.id))
        .all()
    },

    replies: (itemId: number): ReplyView[] => replyViews().where(eq(replies.itemId, itemId)).orderBy(asc(replies.id)).all(),
    reply: (id: number): ReplyView | undefined => replyViews().where(eq(replies.id, id)).get(),

    /** Runs on the connection of the open transaction. */
    update(_tx: Tx, id: number, patch: Partial<ItemRow>): void {
      updateItem(id, patch)
    },
    insert: rowInserter(db, items),
  }
}

export type ItemsRepo = ReturnType<typeof itemsRepo>
