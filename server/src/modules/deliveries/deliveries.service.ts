// Turning stored deliveries into messages and items. Runs as the queued 'delivery.process' job;
// running it twice, or for a redelivered body, changes nothing the second time.
import { and, eq } from 'drizzle-orm'
import { items, messages, type Db } from '@tanggap/db'
import type { FastifyBaseLogger } from 'fastify'
import { CONNECTORS } from '../../connectors/index.ts'
import type { NormalizeContext, NormalizedMessage } from '../../connectors/types.ts'
import type { EventBus } from '../../events/bus.ts'
import { jobId, type JobQueue } from '../../jobs/registry.ts'
import type { Ctx } from '../../lib/context.ts'
import { writeAudit, type Tx } from '../audit/audit.repo.ts'
import type { ChannelsRepo } from '../channels/channels.repo.ts'
import type { ItemsRepo } from '../items/items.repo.ts'
import { afterCitizenMessage, afterGovernmentReply } from '../items/response-clock.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'
import type { DeliveriesRepo, NewDelivery } from './deliveries.repo.ts'

interface Deps {
  db: Db
  deliveries: DeliveriesRepo
  items: ItemsRepo
  opds: OpdsRepo
  channels: ChannelsRepo
  jobs: Pick<JobQueue, 'enqueue'>
  bus: Pick<EventBus, 'publish'>
  clock: () => number
  log: FastifyBaseLogger
}

const PREVIEW_LENGTH = 280

export function deliveriesService(d: Deps) {
  const normalizeCtx: NormalizeContext = {
    opdIdByCode: d.opds.idByCode,
    triageOpdId: d.opds.triageId,
    channelFor: d.channels.byAccount,
  }

  const enqueue = (id: number) => d.jobs.enqueue('delivery.process', { deliveryId: id }, { jobId: jobId('delivery.process', id) })

  /** Adds one message to its thread inside the transaction; returns the item id and whether it is new, or null for a duplicate. */
  function ingestOne(tx: Tx, ctx: Ctx, deliveryId: number, m: NormalizedMessage, now: number): { itemId: number; created: boolean } | null {
    const channel = d.channels.byId(m.channelId)
    if (!channel) throw new Error(`channel ${m.channelId} vanished`)
    const dup = tx.select({ id: messages.id }).from(messages).where(and(eq(messages.platform, channel.platform), eq(messages.externalId, m.externalId))).get()
    if (dup) return null
    let item = tx.select().from(items).where(and(eq(items.channelId, m.channelId), eq(items.externalThreadId, m.externalThreadId))).get()
    let created = false
    if (!item) {
      item = tx
        .insert(items)
        .values({
          channelId: channel.id, opdId: m.opdId ?? channel.opdId, platform: channel.platform, kind: m.kind,
          externalThreadId: m.externalThreadId, trackingCode: m.trackingCode ?? null, status: 'open',
          citizenName: m.direction === 'in' ? m.authorName : '', citizenContact: m.citizenContact ?? null, topic: m.topic ?? null,
          preview: m.text.slice(0, PREVIEW_LENGTH), firstMessageAt: m.sentAt, lastMessageAt: m.sentAt,
          awaitingSince: null, updatedAt: now,
        })
        .returning()
        .get()
      created = true
      writeAudit(tx, ctx, now, { action: 'item.create', entity: 'item', entityId: item.id, after: { opdId: item.opdId, channelId: item.channelId } })
    }
    tx.insert(messages)
      .values({
        itemId: item.id, platform: channel.platform, externalId: m.externalId, direction: m.direction, authorName: m.authorName,
        authorExternalId: m.authorExternalId, text: m.text, sentAt: m.sentAt, deliveryId,
      })
      .run()
    const clock = m.direction === 'in' ? afterCitizenMessage(item, m.sentAt) : afterGovernmentReply(item, m.sentAt)
    d.items.update(tx, item.id, {
      ...clock,
      ...(m.direction === 'in' && !item.citizenName ? { citizenName: m.authorName } : {}),
      lastMessageAt: Math.max(item.lastMessageAt, m.sentAt),
      updatedAt: now,
    })
    return { itemId: item.id, created }
  }

  return {
    /** Stores a delivery (nothing else happens in the request) and enqueues its processing after commit. */
    async store(delivery: NewDelivery): Promise<{ id: number; created: boolean; trackingCode: string | null }> {
      const result = d.deliveries.insert(delivery)
      if (result.created) await enqueue(result.id)
      return result
    },

    async process(ctx: Ctx, deliveryId: number): Promise<void> {
      const delivery = d.deliveries.byId(deliveryId)
      if (!delivery || delivery.state !== 'pending') return
      d.deliveries.countAttempt(deliveryId)
      const connector = CONNECTORS[delivery.platform]
      let normalized: NormalizedMessage[]
      try {
        if (!connector) throw new Error(`no connector for platform ${delivery.platform}`)
        normalized = connector.normalize(delivery, normalizeCtx)
      } catch (err) {
        // A body we cannot read will not improve on retry: keep it, mark it failed with the reason.
        const reason = err instanceof Error ? err.message : String(err)
        d.deliveries.markFailed(deliveryId, d.clock(), reason)
        ctx.log.warn({ deliveryId, reason }, 'delivery failed to normalize')
        return
      }
      const now = d.clock()
      const touched = new Map<number, boolean>()
      d.db.transaction((tx) => {
        for (const m of normalized) {
          const r = ingestOne(tx, ctx, deliveryId, m, now)
          if (r) touched.set(r.itemId, (touched.get(r.itemId) ?? false) || r.created)
        }
        d.deliveries.markProcessed(tx, deliveryId, now)
      })
      for (const [itemId, created] of touched) {
        const item = d.items.summary(itemId)
        if (item) d.bus.publish({ type: created ? 'item.created' : 'item.updated', item })
      }
    },

    /** Enqueues every delivery still pending (after a crash between commit and enqueue); job ids make repeats harmless. */
    async requeuePending(): Promise<number> {
      const ids = d.deliveries.pendingIds()
      for (const id of ids) await enqueue(id)
      return ids.length
    },
  }
}

export type DeliveriesService = ReturnType<typeof deliveriesService>
