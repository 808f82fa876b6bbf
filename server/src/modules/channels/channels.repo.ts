// SQL for channels (one connected account on one platform), and their secrets opened for use.
import { and, eq, inArray } from 'drizzle-orm'
import { channels, type Db } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'
import type { OpenChannel } from '../../connectors/types.ts'
import { unseal } from '../../lib/crypto.ts'

export type ChannelRow = typeof channels.$inferSelect

/** Receivers check secrets on every delivery: opened channels are cached briefly. Writes in this process clear it at once. */
const CACHE_MS = 5_000

export function channelsRepo(db: Db, secretKey: Buffer) {
  let cache: { at: number; list: OpenChannel[] } | null = null
  const touch = db.$client.prepare<[number, number]>('UPDATE channels SET last_delivery_at = ? WHERE id = ?')
  const setError = db.$client.prepare<[string | null, number | null, number]>('UPDATE channels SET last_error = ?, last_error_at = ? WHERE id = ?')

  const open = (row: ChannelRow): OpenChannel => ({
    id: row.id, platform: row.platform, accountId: row.accountId, name: row.name, settings: row.settings,
    credentials: row.credentials ? unseal<Record<string, string>>(secretKey, row.credentials) : {},
  })

  function active(): OpenChannel[] {
    if (!cache || Date.now() - cache.at > CACHE_MS) {
      cache = { at: Date.now(), list: db.select().from(channels).where(eq(channels.active, true)).all().map(open) }
    }
    return cache.list
  }

  return {
    byId: (id: number): ChannelRow | undefined => db.select().from(channels).where(eq(channels.id, id)).get(),
    byAccount: (platform: Platform, accountId: string): ChannelRow | undefined =>
      db.select().from(channels).where(and(eq(channels.platform, platform), eq(channels.accountId, accountId))).get(),
    /** The first active channel of a platform (the website form has one). */
    firstOf: (platform: Platform): ChannelRow | undefined =>
      db.select().from(channels).where(and(eq(channels.platform, platform), eq(channels.active, true))).limit(1).get(),
    ofPlatforms: (platforms: Platform[]): ChannelRow[] => db.select().from(channels).where(inArray(channels.platform, platforms)).all(),

    open,
    openActive: (platforms: Platform[]): OpenChannel[] => active().filter((c) => platforms.includes(c.platform)),
    openByAccount: (platform: Platform, accountId: string): OpenChannel | undefined =>
      active().find((c) => c.platform === platform && c.accountId === accountId),
    /** Clears the cache after a change to channels. */
    changed: () => void (cache = null),

    touchDelivery: (id: number, at: number) => void touch.run(at, id),
    recordError: (id: number, at: number, error: string | null) => void setError.run(error?.slice(0, 500) ?? null, error ? at : null, id),
  }
}

export type ChannelsRepo = ReturnType<typeof channelsRepo>
