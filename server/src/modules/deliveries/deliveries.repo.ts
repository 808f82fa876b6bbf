// SQL for deliveries: the raw bodies as received, and their processing state.
import { desc, eq, isNotNull } from 'drizzle-orm'
import { deliveries, rowReader, rowsReader, type Db } from '@tanggap/db'
import { DELIVERY_ERROR_MAX, type Platform } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'

export type DeliveryRow = typeof deliveries.$inferSelect

export interface NewDelivery {
  platform: Platform
  channelId: number | null
  dedupeKey: string
  trackingCode?: string | null
  rawBody: Buffer
  /** Website questions: what a reused Idempotency-Key must match (questionHash). */
  bodyHash?: string | null
  receivedAt: number
}

export function deliveriesRepo(db: Db) {
  const pendingIds = db.$client.prepare<[], { id: number }>("SELECT id FROM deliveries WHERE state = 'pending' ORDER BY id")
  const lastReceived = db.$client.prepare<[], { at: number }>('SELECT received_at AS at FROM deliveries ORDER BY id DESC LIMIT 1')
  const stateOf = db.$client.prepare<[number], { state: DeliveryRow['state'] }>('SELECT state FROM deliveries WHERE id = ?')
  // Served by the partial index on pending deliveries. The innermost query takes up to `limit` ids
  // with their bodies' lengths (length() of a BLOB reads its size from the record, not its pages);
  // a running sum keeps those whose bodies fit the byte budget, and always the first. One query,
  // and only the bodies kept are read.
  const pendingFrom = rowsReader(
    db,
    deliveries,
    `id IN (
    SELECT id FROM (SELECT id, len, sum(len) OVER (ORDER BY id) AS upto
      FROM (SELECT id, length(raw_body) AS len FROM deliveries WHERE state = 'pending' AND id >= ? ORDER BY id LIMIT ?))
    WHERE upto <= ? OR upto = len) ORDER BY id`,
  )

  // Processing outcomes are written once per delivery: prepared, and counting the attempt in the same write.
  const processed = db.$client.prepare<[number, string | null, string | null, number]>(
    "UPDATE deliveries SET state = 'processed', processed_at = ?, error = NULL, flag = ?, flag_detail = ?, attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
  )
  const failed = db.$client.prepare<[number, string, number]>(
    "UPDATE deliveries SET state = 'failed', processed_at = ?, error = ?, attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
  )
  const reopenFailed = db.$client.prepare<[number]>("UPDATE deliveries SET state = 'pending', processed_at = NULL WHERE id = ? AND state = 'failed'")
  // Served by the partial index deliveries_prunable (the literal conditions must match it). The
  // body is emptied rather than the row deleted: messages and revisions point at their delivery,
  // the dedupe key still stops a platform's redelivery, and the superadmin's lists keep their rows.
  const prune = db.$client.prepare<[number, number, number]>(
    `UPDATE deliveries SET raw_body = x'', pruned_at = ? WHERE id IN (
       SELECT id FROM deliveries WHERE state = 'processed' AND flag IS NULL AND pruned_at IS NULL AND processed_at < ? ORDER BY processed_at LIMIT ?)`,
  )

  return {
    byId: rowReader(db, deliveries, 'id = ?') as (id: number) => DeliveryRow | undefined,
    /** When the newest delivery arrived (ids grow with arrival). */
    lastReceivedAt: (): number | undefined => lastReceived.get()?.at,
    stateOf: (id: number): DeliveryRow['state'] | undefined => stateOf.get(id)?.state,

    /**
     * Pending deliveries from this id on, oldest first: at most `limit`, and only as many as keep
     * their raw bodies within `maxBytes` in all (always at least one, however large).
     */
    pendingFrom: (id: number, limit: number, maxBytes: number): DeliveryRow[] => pendingFrom(id, limit, maxBytes),

    byTrackingCode: (code: string): DeliveryRow | undefined => db.select().from(deliveries).where(eq(deliveries.trackingCode, code)).get(),

    pendingIds: (): number[] => pendingIds.all().map((r) => r.id),

    /** Inside the processing transaction. A flag (e.g. 'unknown_account') keeps the delivery on the superadmin's list. */
    markProcessed(_tx: Tx, id: number, at: number, flag?: { flag: string; detail: string }): void {
      processed.run(at, flag?.flag ?? null, flag?.detail.slice(0, 1000) ?? null, id)
    },

    /** Puts deliveries flagged for an account back to pending once a channel for it exists; returns their ids. */
    reopenForAccount(platform: Platform, accountId: string): number[] {
      const token = `${platform}:${accountId}`
      const ids = db
        .select({ id: deliveries.id, detail: deliveries.flagDetail })
        .from(deliveries)
        .where(eq(deliveries.flag, 'unknown_account'))
        .all()
        .filter((r) => (r.detail ?? '').split(', ').includes(token))
        .map((r) => r.id)
      for (const id of ids) db.update(deliveries).set({ state: 'pending', flag: null, flagDetail: null, processedAt: null }).where(eq(deliveries.id, id)).run()
      return ids
    },

    flagged: (limit: number): DeliveryRow[] => db.select().from(deliveries).where(isNotNull(deliveries.flag)).orderBy(desc(deliveries.id)).limit(limit).all(),

    markFailed(id: number, at: number, error: string): void {
      failed.run(at, error.slice(0, DELIVERY_ERROR_MAX), id)
    },

    /** Puts a failed delivery back to pending (its error stays until the next outcome replaces it); false when it was not failed. */
    reopenFailed: (_tx: Tx, id: number): boolean => reopenFailed.run(id).changes === 1,

    /**
     * Empties the raw bodies of up to `limit` deliveries processed before `before` (oldest first),
     * leaving pending, failed and flagged ones, which may still be processed; returns how many.
     */
    pruneBodies: (before: number, at: number, limit: number): number => prune.run(at, before, limit).changes,
  }
}

export type DeliveriesRepo = ReturnType<typeof deliveriesRepo>
