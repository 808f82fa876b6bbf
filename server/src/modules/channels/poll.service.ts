// Polling for platforms without webhooks (YouTube): a 'channel.poll' job per channel and time
// slot fetches what is new, stores each page as a delivery (normalized like any other) and counts
// the API units spent against the channel's daily quota.
import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { channels as channelsTable, type Db } from '@tanggap/db'
import { PLATFORMS } from '@tanggap/shared'
import type { Config } from '../../config.ts'
import { connectorFor } from '../../connectors/index.ts'
import type { Fetch, PollResult } from '../../connectors/types.ts'
import { jobId, type JobQueue } from '../../jobs/registry.ts'
import type { ChannelsRepo } from './channels.repo.ts'
import type { DeliveriesService } from '../deliveries/deliveries.service.ts'
import { isIdleDemo } from './demo.ts'
import { quotaDay, type QuotaRepo } from './quota.repo.ts'

interface Deps {
  db: Db
  channels: ChannelsRepo
  deliveries: Pick<DeliveriesService, 'store'>
  quota: QuotaRepo
  jobs: Pick<JobQueue, 'enqueue'>
  platformApi: Config['platformApi']
  pollIntervalMs: number
  clock: () => number
  fetch?: Fetch
}

export function pollService(d: Deps) {
  // An idle demo channel is never polled: its made-up token would only earn errors from the real API.
  const polled = () => d.channels.openActive([...PLATFORMS]).filter((c) => connectorFor(c.platform)?.poll && !isIdleDemo(c, d.platformApi))

  return {
    async poll(channelId: number): Promise<{ pages: number }> {
      const row = d.channels.byId(channelId)
      const connector = row?.active && !isIdleDemo(row, d.platformApi) ? connectorFor(row.platform) : undefined
      if (!row || !connector?.poll) return { pages: 0 }
      const day = quotaDay(d.clock(), connector.quotaTimeZone ?? 'UTC')
      const limit = connector.dailyQuota ?? Number.POSITIVE_INFINITY
      let spent = 0
      let result: PollResult
      try {
        result = await connector.poll({
          channel: d.channels.open(row),
          apiBase: d.platformApi[row.platform],
          fetch: d.fetch ?? fetch,
          quotaLeft: () => limit - d.quota.used(channelId, day) - spent,
          spend: (units) => void (spent += units),
        })
      } catch (err) {
        d.channels.recordError(channelId, d.clock(), err instanceof Error ? err.message : String(err))
        throw err
      } finally {
        d.quota.add(channelId, day, spent)
      }
      for (const page of result.pages) {
        const key = `${row.platform}:poll:${createHash('sha256').update(page).digest('hex')}`
        await d.deliveries.store({ platform: row.platform, channelId, dedupeKey: key, rawBody: page, receivedAt: d.clock() })
      }
      if (result.settings)
        d.db
          .update(channelsTable)
          .set({ settings: { ...row.settings, ...result.settings } })
          .where(eq(channelsTable.id, channelId))
          .run()
      d.channels.recordError(channelId, d.clock(), null)
      return { pages: result.pages.length }
    },

    /** Queues one poll per polled channel for the current time slot; the slot in the job id keeps processes from polling twice. */
    async schedule(): Promise<void> {
      const slot = Math.floor(d.clock() / d.pollIntervalMs)
      for (const c of polled()) await d.jobs.enqueue('channel.poll', { channelId: c.id }, { jobId: jobId('channel.poll', `${c.id}:${slot}`) })
    },
  }
}

export type PollService = ReturnType<typeof pollService>
