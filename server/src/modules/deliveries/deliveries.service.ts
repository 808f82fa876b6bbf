// Turning stored deliveries into messages and items. Runs as the queued 'delivery.process' job;
// running it twice, or for a redelivered body, changes nothing the second time.
import { and, eq } from 'drizzle-orm'
import { items, messageRevisions, messages, type Db } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'
import { connectorFor } from '../../connectors/index.ts'
import type { NormalizeContext, NormalizedEvent } from '../../connectors/types.ts'
import type { EventBus } from '../../events/bus.ts'
import { jobId, type JobQueue } from '../../jobs/registry.ts'
import type { Ctx } from '../../lib/context.ts'
import { writeAudit, type Tx } from '../audit/audit.repo.ts'
import type { ChannelRow, ChannelsRepo } from '../channels/channels.repo.ts'
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
}

const PREVIEW_LENGTH = 280

type Touched = Map<number, boolean>

export function deliveriesService(d: Deps) {
  const normalizeCtx: NormalizeContext = { opdIdByCode: d.opds.idByCode, triageOpdId: d.opds.triageId }

  const enqueue = (id: number) => d.jobs.enqueue('delivery.process', { deliveryId: id }, { jobId: jobId('delivery.process', id) })

  const findMessage = (tx: Tx, platform: Platform, externalId: string) =>
    tx.select().from(messages).where(and(eq(messages.platform, platform), eq(messages.externalId, externalId))).get()

  /** A new message: into its thread (made if new), moving the thread's response clock. */
  function add(tx: Tx, ctx: Ctx, deliveryId: number, channel: ChannelRow, e: NormalizedEvent, now: number, touched: Touched): void {
    if (findMessage(tx, channel.platform, e.externalId)) return
    let item = tx.select().from(items).where(and(eq(items.channelId, channel.id), eq(items.externalThreadId, e.externalThreadId))).get()
    if (!item) {
      item = tx
        .insert(items)
        .values({
          channelId: channel.id, opdId: e.opdId ?? channel.opdId, platform: channel.platform, kind: e.kind,
          externalThreadId: e.externalThreadId, trackingCode: e.trackingCode ?? null, status: 'open',
          citizenName: e.direction === 'in' ? e.authorName : '', citizenContact: e.citizenContact ?? null, topic: e.topic ?? null,
          preview: e.direction === 'in' ? e.text.slice(0, PREVIEW_LENGTH) : '', firstMessageAt: e.sentAt, lastMessageAt: e.sentAt,
          awaitingSince: null, updatedAt: now,
        })
        .returning()
        .get()
      touched.set(item.id, true)
      writeAudit(tx, ctx, now, { action: 'item.create', entity: 'item', entityId: item.id, after: { opdId: item.opdId, channelId: item.channelId } })
    } else if (!touched.has(item.id)) touched.set(item.id, false)
    tx.insert(messages)
      .values({
        itemId: item.id, platform: channel.platform, externalId: e.externalId, parentExternalId: e.parentExternalId ?? null,
        direction: e.direction, authorName: e.authorName, authorExternalId: e.authorExternalId, text: e.text, sentAt: e.sentAt, deliveryId,
      })
      .run()
    const inbound = e.direction === 'in'
    d.items.update(tx, item.id, {
      ...(inbound ? afterCitizenMessage(item, e.sentAt) : afterGovernmentReply(item, e.sentAt)),
      ...(inbound ? { lastInboundAt: Math.max(item.lastInboundAt ?? 0, e.sentAt) } : {}),
      ...(inbound && !item.citizenName ? { citizenName: e.authorName } : {}),
      ...(inbound && !item.preview ? { preview: e.text.slice(0, PREVIEW_LENGTH) } : {}),
      firstMessageAt: Math.min(item.firstMessageAt, e.sentAt),
      lastMessageAt: Math.max(item.lastMessageAt, e.sentAt),
      updatedAt: now,
    })
  }

  /** An edit or deletion of a known message: the message changes, its earlier text is kept. */
  function change(tx: Tx, deliveryId: number, channel: ChannelRow, e: NormalizedEvent, now: number, touched: Touched): void {
    const msg = findMessage(tx, channel.platform, e.externalId)
    if (!msg) return
    if (e.verb === 'edit' && (msg.text === e.text || (msg.editedAt ?? 0) > e.sentAt)) return
    if (e.verb === 'delete' && msg.deletedAt !== null) return
    tx.insert(messageRevisions).values({ messageId: msg.id, change: e.verb === 'edit' ? 'edit' : 'delete', previousText: msg.text, at: e.sentAt, deliveryId }).run()
    tx.update(messages)
      .set(e.verb === 'edit' ? { text: e.text, editedAt: e.sentAt } : { deletedAt: e.sentAt })
      .where(eq(messages.id, msg.id))
      .run()
    d.items.update(tx, msg.itemId, { updatedAt: now })
    if (!touched.has(msg.itemId)) touched.set(msg.itemId, false)
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
      let events: NormalizedEvent[]
      try {
        const connector = connectorFor(delivery.platform)
        if (!connector) throw new Error(`no connector for platform ${delivery.platform}`)
        events = connector.normalize(delivery, normalizeCtx)
      } catch (err) {
        // A body we cannot read will not improve on retry: keep it, mark it failed with the reason.
        const reason = err instanceof Error ? err.message : String(err)
        d.deliveries.markFailed(deliveryId, d.clock(), reason)
        ctx.log.warn({ deliveryId, reason }, 'delivery failed to normalize')
        return
      }

      const now = d.clock()
      const touched: Touched = new Map()
      const unknown = new Set<string>()
      const seenChannels = new Set<number>()
      d.db.transaction((tx) => {
        for (const e of events) {
          const platform = e.platform ?? delivery.platform
          const channel = delivery.channelId !== null ? d.channels.byId(delivery.channelId) : d.channels.byAccount(platform, e.accountId)
          if (!channel) {
            unknown.add(`${platform}:${e.accountId}`)
            continue
          }
          seenChannels.add(channel.id)
          if (e.verb === 'add') add(tx, ctx, deliveryId, channel, e, now, touched)
          else change(tx, deliveryId, channel, e, now, touched)
        }
        d.deliveries.markProcessed(tx, deliveryId, now, unknown.size ? { flag: 'unknown_account', detail: [...unknown].join(', ') } : undefined)
      })
      for (const id of seenChannels) d.channels.touchDelivery(id, delivery.receivedAt)
      if (unknown.size) ctx.log.warn({ deliveryId, accounts: [...unknown] }, 'delivery for an account no channel knows')
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
