// Platform API units spent per channel and day (YouTube counts a daily quota per project).
import { sql } from 'drizzle-orm'
import { apiQuota, type Db } from '@tanggap/db'

export function quotaRepo(db: Db) {
  const used = db.$client.prepare<[number, string], { units: number }>('SELECT units FROM api_quota WHERE channel_id = ? AND day = ?')
  return {
    used: (channelId: number, day: string): number => used.get(channelId, day)?.units ?? 0,
    add(channelId: number, day: string, units: number): void {
      if (units <= 0) return
      db.insert(apiQuota)
        .values({ channelId, day, units })
        .onConflictDoUpdate({ target: [apiQuota.channelId, apiQuota.day], set: { units: sql`${apiQuota.units} + ${units}` } })
        .run()
    },
  }
}

export type QuotaRepo = ReturnType<typeof quotaRepo>

/** The quota day a moment falls in, as YYYY-MM-DD in the platform's quota time zone. */
export const quotaDay = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
