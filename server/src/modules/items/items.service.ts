// The inbox: listing, reading and changing items. Every read and write checks that the actor may
// see the item's OPD; an item of another OPD is reported exactly like one that does not exist.
import { dispositions, replies, type Db } from '@tanggap/db'
import {
  urgencyDueAt,
  type DispositionBody,
  type ItemDetail,
  type ItemListQuery,
  type ItemPage,
  type ItemSort,
  type ItemSummary,
  type ReplyView,
  type StatusBody,
} from '@tanggap/shared'
import type { EventBus } from '../../events/bus.ts'
import { jobId, type JobQueue } from '../../jobs/registry.ts'
import { canSeeOpd, visibleOpds, type Ctx, type UserActor } from '../../lib/context.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit } from '../audit/audit.repo.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'
import type { SlaClock } from '../sla/clock.service.ts'
import type { ItemCursor, ItemRow, ItemsRepo } from './items.repo.ts'
import { replyWindowClosesAt } from './reply-window.ts'

interface Deps {
  db: Db
  items: ItemsRepo
  opds: OpdsRepo
  slaClock: SlaClock
  jobs: Pick<JobQueue, 'enqueue'>
  bus: Pick<EventBus, 'publish'>
  clock: () => number
}

const DEFAULT_PAGE = 50

/** Opaque to clients: the order it belongs to and the last item's sort key. */
function encodeCursor(sort: ItemSort, last: ItemSummary): string {
  if (sort === 'newest') return Buffer.from(`i:${last.id}`).toString('base64url')
  const due = urgencyDueAt(last)
  return Buffer.from(`u:${due ?? '-'}:${last.id}`).toString('base64url')
}

function decodeCursor(sort: ItemSort, cursor: string): ItemCursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const newest = /^i:(\d{1,15})$/.exec(text)
  const urgency = /^u:(\d{1,15}|-):(\d{1,15})$/.exec(text)
  if (!newest && !urgency) throw new AppError('VALIDATION', 'Invalid cursor', ['cursor'])
  if ((newest ? 'newest' : 'urgency') !== sort) throw new AppError('VALIDATION', 'The cursor belongs to another sort order; start again without it', ['cursor'])
  if (newest) return { sort: 'newest', id: Number(newest[1]) }
  return { sort: 'urgency', dueAt: urgency![1] === '-' ? null : Number(urgency![1]), id: Number(urgency![2]) }
}

function userOf(ctx: Ctx): UserActor {
  if (ctx.actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first')
  return ctx.actor
}

export function itemsService(d: Deps) {
  /** The item if this user may see it; otherwise NOT_FOUND, the same answer as for a missing id. */
  function visibleItem(ctx: Ctx, id: number): ItemRow {
    const item = d.items.byId(id)
    if (!item || !canSeeOpd(userOf(ctx), item.opdId)) throw notFound()
    return item
  }

  function publishUpdate(id: number, previousOpdId?: number): ItemSummary {
    const item = d.items.summary(id)!
    d.bus.publish({ type: 'item.updated', item, ...(previousOpdId !== undefined ? { previousOpdId } : {}) })
    return item
  }

  return {
    list(ctx: Ctx, q: ItemListQuery): ItemPage {
      const limit = q.limit ?? DEFAULT_PAGE
      const sort = q.sort ?? 'urgency'
      const opdIds = visibleOpds(userOf(ctx))
      const rows = d.items.list({
        opdIds,
        status: q.status,
        opd: q.opd,
        channel: q.channel,
        platform: q.platform,
        sort,
        after: q.cursor ? decodeCursor(sort, q.cursor) : undefined,
        limit: limit + 1,
      })
      const page = rows.slice(0, limit)
      return { items: page, nextCursor: rows.length > limit ? encodeCursor(sort, page[page.length - 1]!) : null }
    },

    get(ctx: Ctx, id: number): ItemDetail {
      const row = visibleItem(ctx, id)
      return {
        item: d.items.summary(id)!,
        citizenContact: row.citizenContact,
        firstResponseAt: row.firstResponseAt,
        replyWindowClosesAt: replyWindowClosesAt(row),
        messages: d.items.thread(id),
        replies: d.items.replies(id),
      }
    },

    /** Stores the reply as pending and queues its delivery to the platform after commit. */
    async reply(ctx: Ctx, id: number, text: string): Promise<ReplyView> {
      const actor = userOf(ctx)
      const item = visibleItem(ctx, id)
      const now = d.clock()
      const closesAt = replyWindowClosesAt(item)
      if (closesAt !== null && now > closesAt) {
        throw new AppError('WINDOW_CLOSED', 'The platform no longer allows a free-form reply: the citizen wrote last more than the window ago')
      }
      const replyId = d.db.transaction((tx) => {
        const row = tx.insert(replies).values({ itemId: item.id, userId: actor.userId, text, createdAt: now }).returning({ id: replies.id }).get()
        writeAudit(d.db, ctx, now, { action: 'reply.create', entity: 'item', entityId: item.id, after: { replyId: row.id } })
        return row.id
      })
      // The reply is stored: a queue that cannot take it now (Redis away) must not make the admin
      // send it twice. The minute requeue of pending replies sends it once the queue is back.
      d.jobs
        .enqueue('reply.send', { replyId }, { jobId: jobId('reply.send', replyId) })
        .catch((err: unknown) => ctx.log.warn({ err, replyId }, 'queueing the reply failed; the requeue of pending replies sends it'))
      publishUpdate(item.id)
      return d.items.reply(replyId)!
    },

    /** Closes (optionally excluding the item from the SLA figures, with its reason) or reopens. */
    setStatus(ctx: Ctx, id: number, { status, reason }: StatusBody): ItemSummary {
      const item = visibleItem(ctx, id)
      if ((status === 'closed') === (item.status === 'closed') && (reason ?? null) === item.excludedReason) return d.items.summary(id)!
      const now = d.clock()
      d.db.transaction((tx) => {
        const patch = status === 'closed' ? d.slaClock.close(tx, item, now, reason ?? null) : d.slaClock.reopen(item)
        d.items.update(tx, id, { ...patch, updatedAt: now })
        writeAudit(d.db, ctx, now, {
          action: status === 'closed' ? 'item.close' : 'item.reopen',
          entity: 'item',
          entityId: id,
          before: { status: item.status, excludedReason: item.excludedReason },
          after: { status: patch.status, excludedReason: patch.excludedReason ?? null },
        })
      })
      return publishUpdate(id)
    },

    /** Hands the item to another OPD (disposisi). The citizen's clock keeps running. */
    dispose(ctx: Ctx, id: number, body: DispositionBody): ItemSummary {
      const actor = userOf(ctx)
      const item = visibleItem(ctx, id)
      if (!d.opds.byId(body.toOpdId)) throw new AppError('VALIDATION', 'Unknown OPD', ['toOpdId'])
      if (body.toOpdId === item.opdId) throw new AppError('CONFLICT', 'The item is already with this OPD')
      const now = d.clock()
      d.db.transaction((tx) => {
        d.slaClock.handoff(tx, item, now)
        tx.insert(dispositions).values({ itemId: id, fromOpdId: item.opdId, toOpdId: body.toOpdId, reason: body.reason, userId: actor.userId, at: now }).run()
        d.items.update(tx, id, { opdId: body.toOpdId, updatedAt: now })
        writeAudit(d.db, ctx, now, {
          action: 'item.dispose',
          entity: 'item',
          entityId: id,
          before: { opdId: item.opdId },
          after: { opdId: body.toOpdId, reason: body.reason },
        })
      })
      return publishUpdate(id, item.opdId)
    },
  }
}

export type ItemsService = ReturnType<typeof itemsService>
