// Delivering replies to their platform: the queued 'reply.send' job. The clock stops when the
// platform has the reply, and a job run twice sends once (the reply row's state says so).
import { eq } from 'drizzle-orm'
import { messages, replies, type Db } from '@tanggap/db'
import { CONNECTORS } from '../../connectors/index.ts'
import type { EventBus } from '../../events/bus.ts'
import { jobId, PermanentJobError, type JobContext, type JobQueue } from '../../jobs/registry.ts'
import type { Ctx } from '../../lib/context.ts'
import { unseal } from '../../lib/crypto.ts'
import { writeAudit } from '../audit/audit.repo.ts'
import type { ChannelsRepo } from '../channels/channels.repo.ts'
import type { ItemsRepo } from './items.repo.ts'
import { afterGovernmentReply } from './response-clock.ts'

interface Deps {
  db: Db
  items: ItemsRepo
  channels: ChannelsRepo
  jobs: Pick<JobQueue, 'enqueue'>
  bus: Pick<EventBus, 'publish'>
  clock: () => number
  secretKey: Buffer
}

export function repliesService(d: Deps) {
  const byId = (id: number) => d.db.select().from(replies).where(eq(replies.id, id)).get()

  function markFailed(ctx: Ctx, replyId: number, itemId: number, reason: string) {
    const now = d.clock()
    d.db.transaction((tx) => {
      tx.update(replies).set({ state: 'failed', error: reason.slice(0, 500) }).where(eq(replies.id, replyId)).run()
      writeAudit(tx, ctx, now, { action: 'reply.fail', entity: 'item', entityId: itemId, after: { replyId, reason } })
    })
    const item = d.items.summary(itemId)
    if (item) d.bus.publish({ type: 'item.updated', item })
  }

  return {
    async send(ctx: Ctx, replyId: number, job: JobContext): Promise<void> {
      const reply = byId(replyId)
      if (!reply || reply.state !== 'pending') return
      const item = d.items.byId(reply.itemId)!
      const channel = d.channels.byId(item.channelId)!
      const connector = CONNECTORS[channel.platform]
      if (!connector) return markFailed(ctx, replyId, item.id, `Sending to ${channel.platform} is not available yet`)
      d.db.update(replies).set({ attempts: job.attempt }).where(eq(replies.id, replyId)).run()
      let externalId: string
      try {
        ;({ externalId } = await connector.send({
          replyId, text: reply.text, externalThreadId: item.externalThreadId,
          channel: { id: channel.id, accountId: channel.accountId, credentials: channel.credentials ? unseal(d.secretKey, channel.credentials) : null },
        }))
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        if (err instanceof PermanentJobError || job.lastAttempt) markFailed(ctx, replyId, item.id, reason)
        throw err
      }
      const now = d.clock()
      const sentAt = now
      d.db.transaction((tx) => {
        const current = tx.select({ state: replies.state }).from(replies).where(eq(replies.id, replyId)).get()
        if (current?.state !== 'pending') return
        tx.update(replies).set({ state: 'sent', sentAt, error: null }).where(eq(replies.id, replyId)).run()
        // The echo of this message, if the platform sends one, has the same external id and is skipped.
        tx.insert(messages)
          .values({ itemId: item.id, platform: channel.platform, externalId, direction: 'out', authorName: channel.name, authorExternalId: channel.accountId, text: reply.text, sentAt })
          .onConflictDoNothing()
          .run()
        const fresh = d.items.byId(item.id)!
        d.items.update(tx, item.id, { ...afterGovernmentReply(fresh, sentAt), lastMessageAt: Math.max(fresh.lastMessageAt, sentAt), updatedAt: now })
        writeAudit(tx, ctx, now, { action: 'reply.sent', entity: 'item', entityId: item.id, before: { status: fresh.status }, after: { replyId, externalId } })
      })
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
