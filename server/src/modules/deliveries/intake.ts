// Group commit for incoming deliveries. Every delivery that arrives during one turn of the event
// loop is written in one transaction, and each request is answered once that transaction has
// committed: one commit (and one turn of the write lock) per turn instead of one per request.
//
// The writes go through their own connection without a busy wait. When another process holds the
// write lock (the worker in redis mode), the batch waits on a timer instead of sleeping inside
// SQLite, so the event loop keeps accepting requests, which join the batch.
import type { Sqlite } from '@tanggap/db'
import { AppError } from '../../lib/errors.ts'
import type { NewDelivery } from './deliveries.repo.ts'

export interface StoredDelivery {
  id: number
  /** False when the dedupe key was known: a redelivery. */
  created: boolean
  trackingCode: string | null
  /** The stored row's body hash: for a redelivery, the first one's (see NewDelivery.bodyHash). */
  bodyHash: string | null
}

export interface IntakeLogger {
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface IntakeOptions {
  sqlite: Sqlite
  /** After each commit, with the ids of the deliveries it created, in ascending order. */
  onStored: (ids: number[]) => Promise<void>
  log: IntakeLogger
  /** Told of every arrival, so background work can step aside while requests come in. */
  onArrival?: () => void
  /** How long a batch may wait for another process's write lock before its requests fail with 503. */
  lockWaitMs?: number
  /**
   * Announce the ids of several commits together, this many milliseconds after the first (0: after
   * each commit). In redis mode every job costs round trips to Redis in the web and in the worker.
   */
  gatherMs?: number
}

interface Waiting {
  delivery: NewDelivery
  resolve: (stored: StoredDelivery) => void
  reject: (err: unknown) => void
}

const isBusy = (err: unknown) =>
  typeof (err as { code?: unknown } | null | undefined)?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY')

export function deliveryIntake(o: IntakeOptions) {
  const { sqlite, log } = o
  const lockWaitMs = o.lockWaitMs ?? 5_000
  const insert = sqlite.prepare<[string, number | null, string, string | null, Buffer, string | null, number]>(
    `INSERT INTO deliveries (platform, channel_id, dedupe_key, tracking_code, raw_body, body_hash, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
  )
  const byKey = sqlite.prepare<[string], { id: number; trackingCode: string | null; bodyHash: string | null }>(
    'SELECT id, tracking_code AS trackingCode, body_hash AS bodyHash FROM deliveries WHERE dedupe_key = ?',
  )
  const begin = sqlite.prepare('BEGIN IMMEDIATE')
  const commit = sqlite.prepare('COMMIT')
  const rollback = sqlite.prepare('ROLLBACK')

  let waiting: Waiting[] = []
  let scheduled = false
  /** When the oldest waiting batch first found the lock taken. */
  let blockedSince: number | null = null

  const schedule = (delayMs = 0) => {
    if (scheduled) return
    scheduled = true
    const run = () => {
      scheduled = false
      flush()
    }
    if (delayMs > 0) setTimeout(run, delayMs)
    else setImmediate(run)
  }

  function write(batch: Waiting[]): StoredDelivery[] {
    begin.run()
    try {
      const stored = batch.map(({ delivery: d }): StoredDelivery => {
        const r = insert.run(d.platform, d.channelId, d.dedupeKey, d.trackingCode ?? null, d.rawBody, d.bodyHash ?? null, d.receivedAt)
        if (r.changes === 1) return { id: Number(r.lastInsertRowid), created: true, trackingCode: d.trackingCode ?? null, bodyHash: d.bodyHash ?? null }
        // Read in the same transaction as the insert that found it: two requests racing with one
        // key get one row, and the second learns what the first stored.
        const known = byKey.get(d.dedupeKey)!
        return { id: known.id, created: false, trackingCode: known.trackingCode, bodyHash: known.bodyHash }
      })
      commit.run()
      return stored
    } catch (err) {
      if (sqlite.inTransaction) rollback.run()
      throw err
    }
  }

  let gathered: number[] = []
  let gathering: NodeJS.Timeout | undefined

  async function enqueue(ids: number[]): Promise<void> {
    // The deliveries are stored: should the queue fail, the periodic requeue picks them up.
    await o
      .onStored(ids.sort((a, b) => a - b))
      .catch((err: unknown) => log.error({ err, deliveries: ids.length }, 'enqueueing stored deliveries failed; the requeue will pick them up'))
  }

  function announce(stored: StoredDelivery[]): void {
    const ids = stored.filter((s) => s.created).map((s) => s.id)
    if (!ids.length) return
    if (!o.gatherMs) {
      void enqueue(ids)
      return
    }
    gathered.push(...ids)
    gathering ??= setTimeout(() => {
      const all = gathered
      gathered = []
      gathering = undefined
      void enqueue(all)
    }, o.gatherMs)
  }

  function flush(): void {
    const batch = waiting
    if (!batch.length) return
    let stored: StoredDelivery[]
    try {
      stored = write(batch)
    } catch (err) {
      if (isBusy(err)) {
        waitForLock()
        return
      }
      // One bad delivery must not fail the others: each is tried alone, and only it fails.
      waiting = []
      blockedSince = null
      if (batch.length > 1) retryOneByOne(batch)
      else batch[0]!.reject(err)
      return
    }
    waiting = []
    blockedSince = null
    // Answered once stored; the jobs are enqueued meanwhile (a lost enqueue is requeued, see enqueue).
    announce(stored)
    for (const [i, w] of batch.entries()) w.resolve(stored[i]!)
  }

  function waitForLock(): void {
    const now = Date.now()
    blockedSince ??= now
    if (now - blockedSince > lockWaitMs) {
      const batch = waiting
      log.warn({ deliveries: batch.length, waitedMs: now - blockedSince }, 'database write lock not free; deliveries refused for the platform to retry')
      waiting = []
      blockedSince = null
      for (const w of batch) w.reject(new AppError('UNAVAILABLE', 'The database is busy; try again'))
      return
    }
    // Another process's transactions take a few milliseconds: look again soon, so the requests
    // waiting here are answered soon after it commits.
    schedule(1)
  }

  function retryOneByOne(batch: Waiting[]): void {
    for (const w of batch) {
      try {
        const stored = write([w])
        announce(stored)
        w.resolve(stored[0]!)
      } catch (err) {
        w.reject(isBusy(err) ? new AppError('UNAVAILABLE', 'The database is busy; try again') : err)
      }
    }
  }

  return {
    /** Stores a delivery unless its dedupe key is known; resolves after the commit, with its id either way. */
    store(delivery: NewDelivery): Promise<StoredDelivery> {
      o.onArrival?.()
      return new Promise<StoredDelivery>((resolve, reject) => {
        waiting.push({ delivery, resolve, reject })
        schedule()
      })
    },

    /** Enqueues what is still gathered (on shutdown, before the job queue closes). */
    async close(): Promise<void> {
      clearTimeout(gathering)
      gathering = undefined
      const all = gathered
      gathered = []
      if (all.length) await enqueue(all)
    },
  }
}

export type DeliveryIntake = ReturnType<typeof deliveryIntake>
