// SQL for deliveries: the raw bodies as received, and their processing state.
import { and, asc, desc, eq, gt, isNotNull } from 'drizzle-orm'
import { deliveries, rowReader, type Db } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'

export type DeliveryRow = typeof deliveries.$inferSelect

export interface NewDelivery {
  platform: Platform
  channelId: number | null
  dedupeKey: string
  trackingCode?: string | null
  rawBody: Buffer
  receivedAt: number
}

export function deliveriesRepo(db: Db) {
  // The ingest hot path: one prepared statement, no query building per request.
  const insert = db.$client.prepare<[string, number | null, string, string | null, Buffer, number], { id: number }>(
    `INSERT INTO deliveries (platform, channel_id, dedupe_key, tracking_code, raw_body, received_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
  )
  const byKey = db.$client.prepare<[string], { id: number; trackingCode: string | null }>(
    'SELECT id, tracking_code AS trackingCode FROM deliveries WHERE dedupe_key = ?',
  )

  // Processing outcomes are written once per delivery: prepared, and counting the attempt in the same write.
  const processed = db.$client.prepare<[number, string | null, string | null, number]>(
    "UPDATE deliveries SET state = 'processed', processed_at = ?, error = NULL, flag = ?, flag_detail = ?, attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
  )
  const failed = db.$client.prepare<[number, string, number]>(
    "UPDATE deliveries SET state = 'failed', processed_at = ?, error = ?, attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
  )

  return {
    /** Inserts unless the dedupe key is known; returns the row id either way. */
    insert(d: NewDelivery): { id: number; created: boolean; trackingCode: string | null } {
      const row = insert.get(d.platform, d.channelId, d.dedupeKey, d.trackingCode ?? null, d.rawBody, d.receivedAt)
      if (row) return { id: row.id, created: true, trackingCode: d.trackingCode ?? null }
      const existing = byKey.get(d.dedupeKey)!
      return { id: existing.id, created: false, trackingCode: existing.trackingCode }
    },

    byId: rowReader(db, deliveries, 'id = ?') as (id: number) => DeliveryRow | undefined,

    /** Deliveries waiting after this one, oldest first (for group commit). */
    pendingAfter: (id: number, limit: number): DeliveryRow[] =>
      db.select().from(deliveries).where(and(eq(deliveries.state, 'pending'), gt(deliveries.id, id))).orderBy(asc(deliveries.id)).limit(limit).all(),

    byTrackingCode: (code: string): DeliveryRow | undefined =>
      db.select().from(deliveries).where(eq(deliveries.trackingCode, code)).get(),

    pendingIds: (): number[] =>
      db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.state, 'pending')).all().map((r) => r.id),

    /** Inside the processing transaction. A flag (e.g. 'unknown_account') keeps the delivery on the superadmin's list. */
    markProcessed(_tx: Tx, id: number, at: number, flag?: { flag: string; detail: string }): void {
      processed.run(at, flag?.flag ?? null, flag?.detail.slice(0, 1000) ?? null, id)
    },

    /** Puts deliveries flagged for an account back to pending once a channel for it exists; returns their ids. */
    reopenForAccount(platform: Platform, accountId: string): number[] {
      const token = `${platform}:${accountId}`
      const ids = db.select({ id: deliveries.id, detail: deliveries.flagDetail }).from(deliveries).where(eq(deliveries.flag, 'unknown_account')).all()
        .filter((r) => (r.detail ?? '').split(', ').includes(token))
        .map((r) => r.id)
      for (const id of ids) db.update(deliveries).set({ state: 'pending', flag: null, flagDetail: null, processedAt: null }).where(eq(deliveries.id, id)).run()
      return ids
    },

    flagged: (limit: number): DeliveryRow[] =>
      db.select().from(deliveries).where(isNotNull(deliveries.flag)).orderBy(desc(deliveries.id)).limit(limit).all(),

    markFailed(id: number, at: number, error: string): void {
      failed.run(at, error.slice(0, 1000), id)
    },

  }
}

export type DeliveriesRepo = ReturnType<typeof deliveriesRepo>
