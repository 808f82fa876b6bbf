// SQL for channels (one connected account on one platform), and their secrets opened for use.
import { asc, eq, inArray } from 'drizzle-orm'
import { channels, rowReader, type Db } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'
import type { OpenChannel } from '../../connectors/types.ts'
import { seal, unseal } from '../../lib/crypto.ts'
import type { Tx } from '../audit/audit.repo.ts'

export type ChannelRow = typeof channels.$inferSelect

/** What the channel settings may write; credentials are the opened secrets (sealed here). */
export interface ChannelWrite {
  platform: Platform
  accountId: string
  name: string
  opdId: number
  active: boolean
  credentials: Record<string, string>
}

/** A delivery kept for the superadmin (e.g. 'unknown_account'), without its body. */
export interface FlaggedDeliveryRow {
  id: number
  platform: Platform
  receivedAt: number
  flag: string
  flagDetail: string | null
  bytes: number
}

/** A delivery whose processing failed, without its body, with the channel it arrived for. */
export interface FailedDeliveryRow {
  id: number
  platform: Platform
  channelId: number | null
  channelName: string | null
  receivedAt: number
  attempts: number
  error: string | null
  trackingCode: string | null
}

/** Receivers check secrets on every delivery: opened channels are cached briefly. Writes in this process clear it at once. */
const CACHE_MS = 5_000

export function channelsRepo(db: Db, secretKey: Buffer) {
  let cache: { at: number; list: OpenChannel[]; byPlatforms: Map<string, OpenChannel[]> } | null = null
  const touch = db.$client.prepare<[number, number]>('UPDATE channels SET last_delivery_at = ? WHERE id = ?')
  const setError = db.$client.prepare<[string | null, number | null, number]>('UPDATE channels SET last_error = ?, last_error_at = ? WHERE id = ?')
  const flaggedStmt = db.$client.prepare<[string, number], FlaggedDeliveryRow>(
    `SELECT id, platform, received_at AS receivedAt, flag, flag_detail AS flagDetail, length(raw_body) AS bytes
     FROM deliveries WHERE flag = ? ORDER BY id DESC LIMIT ?`,
  )
  // Served by the partial index on failed deliveries (the state written as a literal).
  const failedStmt = db.$client.prepare<[number, number], FailedDeliveryRow>(
    `SELECT d.id, d.platform, d.channel_id AS channelId, c.name AS channelName, d.received_at AS receivedAt, d.attempts, d.error, d.tracking_code AS trackingCode
     FROM deliveries d LEFT JOIN channels c ON c.id = d.channel_id WHERE d.state = 'failed' AND d.id < ? ORDER BY d.id DESC LIMIT ?`,
  )
  const sealCredentials = (c: Record<string, string>): string | null => (Object.keys(c).length ? seal(secretKey, c) : null)

  const open = (row: ChannelRow): OpenChannel => ({
    id: row.id,
    platform: row.platform,
    accountId: row.accountId,
    name: row.name,
    settings: row.settings,
    credentials: row.credentials ? unseal<Record<string, string>>(secretKey, row.credentials) : {},
  })

  function active() {
    if (!cache || Date.now() - cache.at > CACHE_MS) {
      cache = { at: Date.now(), list: db.select().from(channels).where(eq(channels.active, true)).all().map(open), byPlatforms: new Map() }
    }
    return cache
  }

  return {
    // Read for every ingested event: prepared once.
    byId: rowReader(db, channels, 'id = ?') as (id: number) => ChannelRow | undefined,
    byAccount: rowReader(db, channels, 'platform = ? AND account_id = ?') as (platform: Platform, accountId: string) => ChannelRow | undefined,
    /** The first active channel of a platform (the website form has one). */
    // Every website question asks this: prepared once.
    firstOf: rowReader(db, channels, 'platform = ? AND active = 1 ORDER BY id') as (platform: Platform) => ChannelRow | undefined,
    ofPlatforms: (platforms: Platform[]): ChannelRow[] => db.select().from(channels).where(inArray(channels.platform, platforms)).all(),

    open,
    /** The same array (not to be changed) until the cache renews, so callers can derive things from it once. */
    openActive(platforms: Platform[]): readonly OpenChannel[] {
      const c = active()
      const key = platforms.join()
      let list = c.byPlatforms.get(key)
      if (!list) c.byPlatforms.set(key, (list = c.list.filter((ch) => platforms.includes(ch.platform))))
      return list
    },
    openByAccount: (platform: Platform, accountId: string): OpenChannel | undefined =>
      active().list.find((c) => c.platform === platform && c.accountId === accountId),
    /** Clears the cache after a change to channels. */
    changed: () => void (cache = null),

    /** Every channel, oldest first (the settings page). */
    all: (): ChannelRow[] => db.select().from(channels).orderBy(asc(channels.id)).all(),
    /** The opened secrets of any channel, active or not. */
    credentialsOf: (row: ChannelRow): Record<string, string> => (row.credentials ? unseal<Record<string, string>>(secretKey, row.credentials) : {}),
    insert: (tx: Tx, c: ChannelWrite): ChannelRow =>
      tx
        .insert(channels)
        .values({ platform: c.platform, accountId: c.accountId, name: c.name, opdId: c.opdId, active: c.active, credentials: sealCredentials(c.credentials) })
        .returning()
        .get(),
    update: (tx: Tx, id: number, c: Pick<ChannelWrite, 'name' | 'opdId' | 'active' | 'credentials'>): ChannelRow =>
      tx
        .update(channels)
        .set({ name: c.name, opdId: c.opdId, active: c.active, credentials: sealCredentials(c.credentials) })
        .where(eq(channels.id, id))
        .returning()
        .get()!,
    /** Deliveries carrying a flag, newest first, with the body's size instead of the body. */
    flaggedDeliveries: (flag: string, limit: number): FlaggedDeliveryRow[] => flaggedStmt.all(flag, limit),
    /** Deliveries whose processing failed, newest first. */
    failedDeliveries: (limit: number, before = Number.MAX_SAFE_INTEGER): FailedDeliveryRow[] => failedStmt.all(before, limit),

    touchDelivery: (id: number, at: number) => void touch.run(at, id),
    recordError: (id: number, at: number, error: string | null) => void setError.run(error?.slice(0, 500) ?? null, error ? at : null, id),
  }
}

export type ChannelsRepo = ReturnType<typeof channelsRepo>
