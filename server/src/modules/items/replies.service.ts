// Delivering replies to their platform: the queued 'reply.send' job. The clock stops when the
// platform has the reply, and a job run twice sends once (the reply row's state says so).
import { and, desc, eq } from 'drizzle-orm'
import { messages, replies, type Db } from '@tanggap/db'
import type { Config } from '../../config.ts'
import { connectorFor } from '../../connectors/index.ts'
import type { EventBus } from '../../events/bus.ts'
import { jobId, PermanentJobError, type JobContext, type JobQueue } from '../../jobs/registry.ts'
import type { Ctx } from '../../lib/context.ts'
import type { RateLimiter } from '../../lib/rate-limiter.ts'
import { writeAudit } from '../audit/audit.repo.ts'
import type { ChannelsRepo } from '../channels/channels.repo.ts'
import { DEMO_NOT_CONNECTED, isIdleDemo } from '../channels/demo.ts'
import { quotaDay, type QuotaRepo } from '../channels/quota.repo.ts'
import type { ItemsRepo } from './items.repo.ts'
import type { SlaClock } from '../sla/clock.service.ts'

interface Deps {
  db: Db
  items: ItemsRepo
  channels: ChannelsRepo
  slaClock: SlaClock
  jobs: Pick<JobQueue, 'enqueue'>
  bus: Pick<EventBus, 'publish'>
  clock: () => number
  platformApi: Config['platformApi']
  limiter: RateLimiter
  quota: QuotaRepo
  fetch?: typeof fetch
}

export function repliesService(d: Deps) {
  const byId = (id: number) => d.db.select().from(replies).where(eq(replies.id, id)).get()
  const lastInbound = (itemId: number) =>
    d.db
      .select({ externalId: messages.externalId, author: messages.authorExternalId })
      .from(messages)
      .where(and(eq(messages.itemId, itemId), eq(messages.direction, 'in')))
      .orderBy(desc(messages.sentAt), desc(messages.id))
      .limit(1)
      .get()

  function markFailed(ctx: Ctx, replyId: number, itemId: number, channelId: number, reason: string) {
    const now = d.clock()
    d.db.transaction((tx) => {
      tx.update(replies)
        .set({ state: 'failed', error: reason.slice(0, 500) })
        .where(eq(replies.id, replyId))
        .run()
      writeAudit(d.db, ctx, now, { action: 'reply.fail', entity: 'item', entityId: itemId, after: { replyId, reason } })
    })
    d.channels.recordError(channelId, now, reason)
    const item = d.items.summary(itemId)
    if (item) d.bus.publish({ type: 'item.updated', item })
  }

  return {
    async send(ctx: Ctx, replyId: number, job: JobContext): Promise<void> {
      const reply = byId(replyId)
      if (reply?.state !== 'pending') return
      const item = d.items.byId(reply.itemId)!
      const row = d.channels.byId(item.channelId)!
      const send = connectorFor(row.platform)?.send
      if (!send) return markFailed(ctx, replyId, item.id, row.id, `Sending to ${row.platform} is not available yet`)
      if (isIdleDemo(row, d.platformApi)) return markFailed(ctx, replyId, item.id, row.id, DEMO_NOT_CONNECTED)
      d.db.update(replies).set({ attempts: job.attempt }).where(eq(replies.id, replyId)).run()
      const target = lastInbound(item.id)
      const connector = connectorFor(row.platform)!
      const sendsPerSecond = connector.sendsPerSecond
      if (sendsPerSecond) await d.limiter.take(`${row.platform}:${row.accountId}`, sendsPerSecond)
      let externalId: string
      const day = quotaDay(d.clock(), connector.quotaTimeZone ?? 'UTC')
      let spent = 0
      const quota =
        connector.dailyQuota === undefined
          ? undefined
          : {
              left: () => connector.dailyQuota! - d.quota.used(row.id, day) - spent,
              spend: (units: number) => void (spent += units),
            }
      try {
        ;({ externalId } = await send({
          quota,
          replyId,
          text: reply.text,
          channel: d.channels.open(row),
          kind: item.kind,
          externalThreadId: item.externalThreadId,
          replyToExternalId: target?.externalId ?? null,
          recipientExternalId: target?.author ?? null,
          apiBase: d.platformApi[row.platform],
          fetch: d.fetch ?? fetch,
        }))
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        if (err instanceof PermanentJobError || job.lastAttempt) markFailed(ctx, replyId, item.id, row.id, reason)
        else d.channels.recordError(row.id, d.clock(), reason)
        throw err
      } finally {
        d.quota.add(row.id, day, spent)
      }
      const now = d.clock()
      d.db.transaction((tx) => {
        const current = tx.select({ state: replies.state }).from(replies).where(eq(replies.id, replyId)).get()
        if (current?.state !== 'pending') return
        tx.update(replies).set({ state: 'sent', sentAt: now, error: null, externalId }).where(eq(replies.id, replyId)).run()
        // The platform's echo of this message has the same id and is skipped as a duplicate, so it counts once.
        tx.insert(messages)
          .values({
            itemId: item.id,
            platform: row.platform,
            externalId,
            parentExternalId: target?.externalId ?? null,
            direction: 'out',
            authorName: row.name,
            authorExternalId: row.accountId,
            text: reply.text,
            sentAt: now,
          })
          .onConflictDoNothing()
          .run()
        const fresh = d.items.byId(item.id)!
        d.items.update(tx, item.id, { ...d.slaClock.governmentReply(tx, fresh, now), lastMessageAt: Math.max(fresh.lastMessageAt, now), updatedAt: now })
        writeAudit(d.db, ctx, now, {
          action: 'reply.sent',
          entity: 'item',
          entityId: item.id,
          before: { status: fresh.status },
          after: { replyId, externalId },
        })
      })
      d.channels.recordError(row.id, now, null)
      const summary = d.items.summary(item.id)
      if (summary) d.bus.publish({ type: 'item.updated', item: summary })
    },

    /** Enqueues replies still pending (after a crash between commit and enqueue). */
    async requeuePending(): Promise<number> {
      const ids = d.db.select({ id: replies.id }).from(replies).where(eq(replies.state, 'pending')).all()
      for (const { id } of ids) await d.jobs.enqueue('reply.send', { replyId: id }, { jobId: jobId('reply.send', id) })
      return ids.length
    },
  }
}

export type RepliesService = ReturnType<typeof repliesService>
