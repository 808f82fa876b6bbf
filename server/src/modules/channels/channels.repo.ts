// SQL for channels (one connected account on one platform).
import { and, eq } from 'drizzle-orm'
import { channels, type Db } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'

export type ChannelRow = typeof channels.$inferSelect

export function channelsRepo(db: Db) {
  return {
    byId: (id: number): ChannelRow | undefined => db.select().from(channels).where(eq(channels.id, id)).get(),
    byAccount: (platform: Platform, accountId: string): ChannelRow | undefined =>
      db.select().from(channels).where(and(eq(channels.platform, platform), eq(channels.accountId, accountId))).get(),
    /** The first active channel of a platform (the website form has one). */
    firstOf: (platform: Platform): ChannelRow | undefined =>
      db.select().from(channels).where(and(eq(channels.platform, platform), eq(channels.active, true))).limit(1).get(),
  }
}

export type ChannelsRepo = ReturnType<typeof channelsRepo>
