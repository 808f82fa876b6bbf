// Turning stored deliveries into messages and items. Runs as the queued 'delivery.process' job;
// running it twice, or for a redelivered body, changes nothing the second time.
import { eq } from 'drizzle-orm'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { messageRevisions, messages, rowInserter, rowReader, type Db } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'
import { connectorFor } from '../../connectors/index.ts'
import { MAX_JSON_DEPTH, scanJson } from '../../connectors/json-scan.ts'
import type { Connector, DeliveryStatus, Fetch, NormalizeContext, NormalizedEvent } from '../../connectors/types.ts'
import type { Config } from '../../config.ts'
import { failSentReply } from '../items/reply-failure.ts'
import type { EventBus } from '../../events/bus.ts'
import { jobId, type JobQueue } from '../../jobs/registry.ts'
import type { Ctx } from '../../lib/context.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit, type Tx } from '../audit/audit.repo.ts'
import type { ChannelRow, ChannelsRepo } from '../channels/channels.repo.ts'
import { isIdleDemo } from '../channels/demo.ts'
import type { ItemsRepo } from '../items/items.repo.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'
import type { SlaClock } from '../sla/clock.service.ts'
import type { DeliveriesRepo, DeliveryRow, NewDelivery } from './deliveries.repo.ts'
import type { DeliveryIntake, StoredDelivery } from './intake.ts'
import { clockTime, FUTURE_TOLERANCE_MS } from './platform-time.ts'

interface Deps {
  db: Db
  deliveries: DeliveriesRepo
  items: ItemsRepo
  opds: OpdsRepo
  channels: ChannelsRepo
  slaClock: SlaClock
  jobs: Pick<JobQueue, 'enqueue'>
  /** Where new deliveries are written (group commit); see intake.ts. */
  intake: Pick<DeliveryIntake, 'store'>
  bus: Pick<EventBus, 'publish'>
  clock: () => number
  platformApi: Config['platformApi']
  fetch?: Fetch
  /**
   * Redis mode: while deliveries arrive (the newest was received moments ago), the write lock stays
   * free this long after each batch, for the web processes of the same file: their intake waits for
   * the lock on a timer and would otherwise rarely find it free. Accepting comes first; the backlog
   * is processed at full speed once arrivals stop.
   */
  lockPauseMs?: number
}

const PREVIEW_LENGTH = 280
/** Deliveries stored per transaction when many wait. */
const BATCH_SIZE = 50
/** The same while web processes of the same file wait for the write lock (see lockPauseMs). */
const SHARED_BATCH_SIZE = 10
/**
 * Raw body bytes per transaction (a batch always takes at least one delivery): a batch holds its
 * bodies and what is parsed from them until it commits, and fifty bodies of up to 4 MiB would make
 * that hundreds of megabytes. Small deliveries reach BATCH_SIZE long before this.
 */
const BATCH_BYTES = 2 * 1024 * 1024

type Touched = Map<number, boolean>

export function deliveriesService(d: Deps) {
  const normalizeCtx: NormalizeContext = { opdIdByCode: d.opds.idByCode, triageOpdId: d.opds.triageId }

  // Runs on the transaction's connection, so it sees the transaction's own writes.
  const messageByExternal = rowReader(d.db, messages, 'platform = ? AND external_id = ?')
  const findMessage = (_tx: Tx, platform: Platform, externalId: string) => messageByExternal(platform, externalId)
  const insertMessage = rowInserter(d.db, messages)

  /** The thread a message belongs to: the one its parent message is in, when we have the parent; else the one it names. */
  function threadOf(tx: Tx, channel: ChannelRow, e: NormalizedEvent) {
    const parent = e.parentExternalId ? findMessage(tx, channel.platform, e.parentExternalId) : undefined
    if (parent) {
      const item = d.items.byId(parent.itemId)
      if (item?.channelId === channel.id) return item
    }
    return d.items.byThread(channel.id, e.externalThreadId)
  }

  /** A new message: into its thread (made if new), moving the thread's response clock. */
  function add(
    tx: Tx,
    ctx: Ctx,
    delivery: Pick<DeliveryRow, 'id' | 'receivedAt'>,
    channel: ChannelRow,
    e: NormalizedEvent,
    now: number,
    touched: Touched,
  ): void {
    if (findMessage(tx, channel.platform, e.externalId)) return
    // The message keeps the platform's time; the item and its clocks never take one from the future.
    const at = clockTime(e.sentAt, delivery.receivedAt)
    let item = threadOf(tx, channel, e)
    // The account posting where no citizen has written (its own announcement) is no work for the inbox.
    if (!item && e.direction === 'out') return
    if (!item) {
      const id = d.items.insert({
        channelId: channel.id,
        opdId: e.opdId ?? channel.opdId,
        platform: channel.platform,
        kind: e.kind,
        externalThreadId: e.externalThreadId,
        trackingCode: e.trackingCode ?? null,
        status: 'open',
        citizenName: e.direction === 'in' ? e.authorName : '',
        citizenContact: e.citizenContact ?? null,
        topic: e.topic ?? null,
        preview: e.direction === 'in' ? e.text.slice(0, PREVIEW_LENGTH) : '',
        firstMessageAt: at,
        lastMessageAt: at,
        awaitingSince: null,
        createdAt: now,
        updatedAt: now,
      })
      item = d.items.byId(id)!
      touched.set(item.id, true)
      writeAudit(d.db, ctx, now, { action: 'item.create', entity: 'item', entityId: item.id, after: { opdId: item.opdId, channelId: item.channelId } })
    } else if (!touched.has(item.id)) touched.set(item.id, false)
    insertMessage({
      itemId: item.id,
      platform: channel.platform,
      externalId: e.externalId,
      parentExternalId: e.parentExternalId ?? null,
      direction: e.direction,
      authorName: e.authorName,
      authorExternalId: e.authorExternalId,
      text: e.text,
      sentAt: e.sentAt,
      deliveryId: delivery.id,
    })
    const inbound = e.direction === 'in'
    // A citizen message older than the government's latest reply (delivered late, or polled out of
    // order) was answered by that reply: it opens no awaiting period. A reply whose platform time is
    // still in the future says nothing about when it was written.
    const lastOut = d.items.lastOutboundAt(item.id)
    const answeredAlready = inbound && lastOut !== null && lastOut >= at && lastOut <= now + FUTURE_TOLERANCE_MS
    const clock = !inbound
      ? d.slaClock.governmentReply(tx, item, at)
      : e.needsResponse === false || answeredAlready
        ? {}
        : d.slaClock.citizenMessage(tx, item, at)
    d.items.update(tx, item.id, {
      ...clock,
      ...(inbound ? { lastInboundAt: Math.max(item.lastInboundAt ?? 0, at) } : {}),
      ...(inbound && !item.citizenName ? { citizenName: e.authorName } : {}),
      ...(inbound && !item.preview ? { preview: e.text.slice(0, PREVIEW_LENGTH) } : {}),
      firstMessageAt: Math.min(item.firstMessageAt, at),
      lastMessageAt: Math.max(item.lastMessageAt, at),
      updatedAt: now,
    })
  }

  /** An edit or deletion of a known message: the message changes, its earlier text is kept. */
  function change(tx: Tx, deliveryId: number, channel: ChannelRow, e: NormalizedEvent, now: number, touched: Touched): void {
    const msg = findMessage(tx, channel.platform, e.externalId)
    if (!msg) return
    if (e.verb === 'edit' && (msg.text === e.text || (msg.editedAt ?? 0) > e.sentAt)) return
    if (e.verb === 'delete' && msg.deletedAt !== null) return
    tx.insert(messageRevisions)
      .values({ messageId: msg.id, change: e.verb === 'edit' ? 'edit' : 'delete', previousText: msg.text, at: e.sentAt, deliveryId })
      .run()
    tx.update(messages)
      .set(e.verb === 'edit' ? { text: e.text, editedAt: e.sentAt } : { deletedAt: e.sentAt })
      .where(eq(messages.id, msg.id))
      .run()
    d.items.update(tx, msg.itemId, { updatedAt: now })
    if (!touched.has(msg.itemId)) touched.set(msg.itemId, false)
  }

  /** Lets the connector fill in what the delivery left out, channel by channel; on failure the events stay as they were. */
  async function enrich(
    ctx: Ctx,
    connector: Connector,
    events: NormalizedEvent[],
    channelOf: (p: Platform, a: string) => ChannelRow | undefined,
    platform: Platform,
  ): Promise<NormalizedEvent[]> {
    const byChannel = new Map<number, { channel: ChannelRow; events: NormalizedEvent[] }>()
    const rest: NormalizedEvent[] = []
    for (const e of events) {
      const channel = channelOf(e.platform ?? platform, e.accountId)
      // An idle demo channel looks nothing up: its made-up secrets must not reach a real platform.
      if (!channel || isIdleDemo(channel, d.platformApi)) rest.push(e)
      else byChannel.set(channel.id, { channel, events: [...(byChannel.get(channel.id)?.events ?? []), e] })
    }
    const out = [...rest]
    for (const { channel, events: mine } of byChannel.values()) {
      try {
        out.push(
          ...(await connector.enrich!(mine, d.channels.open(channel), d.platformApi[channel.platform], d.fetch ?? fetch, { clock: d.clock, log: ctx.log })),
        )
      } catch (err) {
        ctx.log.warn({ err, channelId: channel.id }, 'enriching events failed; keeping them as delivered')
        out.push(...mine)
      }
    }
    return out
  }

  /** A delivery read and ready to store: its events, the platform's reports about our sends, and where to find its channels. */
  interface Prepared {
    delivery: DeliveryRow
    events: NormalizedEvent[]
    statuses: DeliveryStatus[]
    channelOf: (platform: Platform, accountId: string) => ChannelRow | undefined
  }

  /** Normalizes one delivery; a body it cannot read is marked failed with the reason and gives null. */
  function prepare(ctx: Ctx, delivery: DeliveryRow): (Prepared & { connector: Connector }) | null {
    const connector = connectorFor(delivery.platform)
    let events: NormalizedEvent[]
    let statuses: DeliveryStatus[]
    try {
      if (!connector) throw new Error(`no connector for platform ${delivery.platform}`)
      // Parsing such a body would take a hundred times its size in memory at once.
      if (scanJson(delivery.rawBody).kind === 'deep') throw new Error(`the body nests deeper than ${MAX_JSON_DEPTH} levels`)
      events = connector.normalize(delivery, normalizeCtx)
      statuses = connector.statuses?.(delivery) ?? []
    } catch (err) {
      // A body we cannot read will not improve on retry: keep it, mark it failed with the reason.
      const reason = err instanceof Error ? err.message : String(err)
      d.deliveries.markFailed(delivery.id, d.clock(), reason)
      ctx.log.warn({ deliveryId: delivery.id, reason }, 'delivery failed to normalize')
      return null
    }
    // An inactive channel takes nothing in: the receivers no longer check signatures for its account
    // (any channel's secret vouches for an account they do not know), so its deliveries stay flagged.
    const channelOf = (platform: Platform, accountId: string) => {
      if (delivery.channelId !== null) return d.channels.byId(delivery.channelId)
      const channel = d.channels.byAccount(platform, accountId)
      return channel?.active ? channel : undefined
    }
    return { delivery, events, statuses, channelOf, connector }
  }

  /** Stores one prepared delivery inside the transaction. */
  function ingest(tx: Tx, ctx: Ctx, p: Prepared, now: number, touched: Touched): void {
    const { delivery, channelOf } = p
    // Another job (or process) may have stored it meanwhile: then there is nothing left to do.
    if (d.deliveries.stateOf(delivery.id) !== 'pending') return
    const unknown = new Set<string>()
    const seenChannels = new Set<number>()
    // In the order they happened, not as the platform listed them: the clock depends on it.
    for (const e of [...p.events].sort((a, b) => a.sentAt - b.sentAt)) {
      const platform = e.platform ?? delivery.platform
      const channel = channelOf(platform, e.accountId)
      if (!channel) {
        unknown.add(`${platform}:${e.accountId}`)
        continue
      }
      seenChannels.add(channel.id)
      if (e.verb === 'add') add(tx, ctx, delivery, channel, e, now, touched)
      else change(tx, delivery.id, channel, e, now, touched)
    }
    for (const st of p.statuses) {
      if (st.status !== 'failed') continue
      const channel = channelOf(delivery.platform, st.accountId)
      const itemId = channel
        ? failSentReply(tx, d.items, channel.platform, st.externalId, st.error ?? 'The platform reports the message undelivered', now)
        : null
      if (itemId !== null && !touched.has(itemId)) touched.set(itemId, false)
      if (channel && itemId !== null) d.channels.recordError(channel.id, now, st.error ?? 'undelivered')
    }
    d.deliveries.markProcessed(tx, delivery.id, now, unknown.size ? { flag: 'unknown_account', detail: [...unknown].join(', ') } : undefined)
    for (const id of seenChannels) d.channels.touchDelivery(id, delivery.receivedAt)
    if (unknown.size) ctx.log.warn({ deliveryId: delivery.id, accounts: [...unknown] }, 'delivery for an account no channel knows')
  }

  /** Deliveries count as arriving while the newest is younger than this. */
  const ARRIVING_MS = 200
  const arriving = () => d.clock() - (d.deliveries.lastReceivedAt() ?? -Infinity) < ARRIVING_MS
  let nextBatchAt = 0
  /** The latest batch of this process still waiting on the network (enrich), if any. */
  let enriching: Promise<void> | undefined

  /**
   * Waits until this process may read and store the next batch: after any earlier batch that waits
   * on the network (else a reply could be stored before the message it answers, find no thread and
   * be lost), and, when `shared`, after the pause that follows the previous batch.
   */
  async function batchTurn(shared: boolean): Promise<void> {
    for (;;) {
      if (enriching) await enriching
      else if (shared && nextBatchAt > performance.now()) await sleep(nextBatchAt - performance.now())
      else return
    }
  }

  /** Runs the enrich hooks of a batch's deliveries (all at once), holding back later batches meanwhile. */
  async function enrichBatch(ctx: Ctx, hooked: (Prepared & { connector: Connector })[]): Promise<void> {
    const running = Promise.all(hooked.map(async (p) => void (p.events = await enrich(ctx, p.connector, p.events, p.channelOf, p.delivery.platform))))
    const settled = running.then(
      () => undefined,
      () => undefined,
    )
    enriching = settled
    try {
      await running
    } finally {
      if (enriching === settled) enriching = undefined
    }
  }

  /** Stores prepared deliveries in one transaction (one commit for all), then publishes what changed. */
  function commit(ctx: Ctx, batch: Prepared[]): void {
    const now = d.clock()
    const touched: Touched = new Map()
    try {
      d.db.transaction((tx) => {
        for (const p of batch) ingest(tx, ctx, p, now, touched)
      })
    } finally {
      if (d.lockPauseMs) nextBatchAt = performance.now() + d.lockPauseMs
    }
    for (const [itemId, created] of touched) {
      const item = d.items.summary(itemId)
      if (item) d.bus.publish({ type: created ? 'item.created' : 'item.updated', item })
    }
  }

  /**
   * Processes the pending deliveries from `fromId` through `throughId`, up to BATCH_SIZE and
   * BATCH_BYTES of raw bodies per transaction (group commit: one commit stores many; fewer, with a
   * pause after each, while other processes wait to store arriving deliveries). A batch also takes
   * deliveries waiting after the range; their own jobs then find nothing to do. Should a batch fail,
   * its deliveries are tried one by one, so one bad delivery cannot fail the others; on the last
   * attempt those that still fail are marked failed with the reason, else the job fails and is retried.
   */
  async function processRange(ctx: Ctx, fromId: number, throughId: number, lastAttempt: boolean): Promise<void> {
    let failure: unknown
    for (let cursor = fromId; cursor <= throughId; ) {
      const shared = !!d.lockPauseMs && arriving()
      // Without a hook to wait for and nothing to wait after, a batch is read and stored without
      // yielding: the in-process queue measures a job by its synchronous part.
      if (enriching || shared) await batchTurn(shared)
      const rows = d.deliveries.pendingFrom(cursor, shared ? SHARED_BATCH_SIZE : BATCH_SIZE, BATCH_BYTES)
      if (!rows.length || rows[0]!.id > throughId) break
      cursor = rows[rows.length - 1]!.id + 1
      const batch = rows.flatMap((delivery) => prepare(ctx, delivery) ?? [])
      const hooked = batch.filter((p) => p.connector.enrich && (!p.connector.enriches || p.events.some(p.connector.enriches)))
      if (hooked.length) await enrichBatch(ctx, hooked)
      if (!batch.length) continue
      try {
        commit(ctx, batch)
        continue
      } catch (err) {
        if (batch.length > 1) ctx.log.warn({ err, batch: batch.length }, 'batch failed; processing its deliveries one by one')
        else failure ??= err
      }
      if (batch.length > 1) {
        for (const p of batch) {
          try {
            commit(ctx, [p])
          } catch (err) {
            failure ??= err
            if (lastAttempt) d.deliveries.markFailed(p.delivery.id, d.clock(), `processing failed: ${err instanceof Error ? err.message : String(err)}`)
          }
        }
      } else if (lastAttempt) {
        d.deliveries.markFailed(batch[0]!.delivery.id, d.clock(), `processing failed: ${failure instanceof Error ? failure.message : String(failure)}`)
      }
    }
    if (failure !== undefined && !lastAttempt) throw failure
  }

  /** One job for a run of stored deliveries (ids ascending), keyed by its first id; `fresh` for ids just created. */
  const enqueue = (ids: number[], fresh = false) =>
    d.jobs.enqueue('delivery.process', { deliveryId: ids[0]!, throughId: ids[ids.length - 1]! }, { jobId: jobId('delivery.process', ids[0]!), fresh })

  /** Runs of at most BATCH_SIZE ids, so a job's batches stay bounded and a long list becomes several jobs. */
  const runs = (ids: number[]) => {
    const sorted = [...ids].sort((a, b) => a - b)
    return Array.from({ length: Math.ceil(sorted.length / BATCH_SIZE) }, (_, i) => sorted.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE))
  }
  const enqueueAll = async (ids: number[], fresh = false) => {
    for (const run of runs(ids)) await enqueue(run, fresh)
  }

  return {
    /** Stores a delivery (nothing else happens in the request); its processing is enqueued after the commit. */
    store: (delivery: NewDelivery): Promise<StoredDelivery> => d.intake.store(delivery),

    /** The intake calls this after each commit with the ids it created. */
    enqueueStored: (ids: number[]) => enqueueAll(ids, true),

    /** `lastAttempt`: deliveries that fail in this run too are marked failed rather than left for endless retries. */
    process: (ctx: Ctx, fromId: number, throughId = fromId, lastAttempt = false): Promise<void> => processRange(ctx, fromId, throughId, lastAttempt),

    /**
     * A channel was added for an account that earlier deliveries named: they are processed again.
     * Their messages for accounts already known were stored the first time and are skipped as duplicates.
     */
    async retryForNewChannel(platform: Platform, accountId: string): Promise<number> {
      const ids = d.deliveries.reopenForAccount(platform, accountId)
      await enqueueAll(ids)
      return ids.length
    },

    /**
     * The superadmin's "process again" for a failed delivery, once its cause is fixed: back to
     * pending (audited) and enqueued. 404 for an unknown id, 409 for one that is not failed (also
     * when two clicks race: only one reopens it).
     */
    async retryFailed(ctx: Ctx, id: number): Promise<void> {
      const row = d.deliveries.byId(id)
      if (!row) throw notFound('Delivery')
      const reopened = d.db.transaction((tx) => {
        if (!d.deliveries.reopenFailed(tx, id)) return false
        writeAudit(d.db, ctx, d.clock(), {
          action: 'delivery.retry',
          entity: 'delivery',
          entityId: id,
          before: { state: 'failed', attempts: row.attempts, error: row.error },
          after: { state: 'pending' },
        })
        return true
      })
      if (!reopened) throw new AppError('CONFLICT', `Only a failed delivery can be processed again; this one is ${d.deliveries.stateOf(id) ?? row.state}`)
      // Stored as pending: should the queue be away, the minute's requeue picks it up.
      await enqueue([id]).catch((err: unknown) =>
        ctx.log.error({ err, deliveryId: id }, 'enqueueing a delivery to process again failed; the requeue will pick it up'),
      )
    },

    /** Enqueues every delivery still pending (after a crash between commit and enqueue); job ids make repeats harmless. */
    async requeuePending(): Promise<number> {
      const ids = d.deliveries.pendingIds()
      await enqueueAll(ids)
      return ids.length
    },
  }
}

export type DeliveriesService = ReturnType<typeof deliveriesService>
