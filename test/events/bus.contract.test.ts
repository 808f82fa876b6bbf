// One contract, two adapters: the in-process bus and the Redis pub/sub bus must behave alike.
import type { ItemSummary, ServerEvent } from '@tanggap/shared'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventBus } from '../../server/src/events/bus.ts'
import { createInProcessBus } from '../../server/src/events/inprocess.ts'
import { createRedisBus } from '../../server/src/events/redis.ts'
import { REDIS_URL, requireRedis, runPrefix } from '../helpers/redis.ts'
import { sleep, waitFor } from '../helpers/wait.ts'

const item = (id: number): ItemSummary => ({
  id,
  opd: { id: 3, code: 'DINKES', name: 'Dinas Kesehatan', shortName: 'Dinkes' },
  channelId: 1,
  channelName: 'Website',
  platform: 'website',
  kind: 'form',
  status: 'open',
  citizenName: 'Siti',
  preview: 'Jadwal imunisasi?',
  trackingCode: null,
  firstMessageAt: 1_700_000_000_000,
  lastMessageAt: 1_700_000_000_000,
  awaitingSince: 1_700_000_000_000,
  firstResponseSeconds: null,
  updatedAt: 1_700_000_000_000,
  priority: 'normal',
  dueAt: null,
  warnAt: null,
  breachedAt: null,
  calendarId: null,
  excludedReason: null,
})
const created = (id: number): ServerEvent => ({ type: 'item.created', item: item(id) })

/** Time for a duplicate delivery to show up, had there been one. */
const SETTLE_MS = 60

function describeBusContract(name: string, factory: () => Promise<EventBus>) {
  describe(`EventBus contract: ${name}`, () => {
    const made: EventBus[] = []
    const make = async () => {
      const bus = await factory()
      made.push(bus)
      return bus
    }
    afterEach(async () => {
      await Promise.all(made.splice(0).map((b) => b.close()))
    })

    it('delivers a published event to every subscriber once', async () => {
      const bus = await make()
      const a: ServerEvent[] = []
      const b: ServerEvent[] = []
      bus.subscribe((e) => a.push(e))
      bus.subscribe((e) => b.push(e))
      bus.publish(created(1))
      await waitFor(() => a.length > 0 && b.length > 0, 'both subscribers')
      await sleep(SETTLE_MS)
      expect(a).toEqual([created(1)])
      expect(b).toEqual([created(1)])
    })

    it('stops delivering to a subscriber that unsubscribed', async () => {
      const bus = await make()
      const gone: ServerEvent[] = []
      const kept: ServerEvent[] = []
      const unsubscribe = bus.subscribe((e) => gone.push(e))
      bus.subscribe((e) => kept.push(e))
      unsubscribe()
      bus.publish(created(2))
      await waitFor(() => kept.length > 0, 'the remaining subscriber')
      await sleep(SETTLE_MS)
      expect(gone).toEqual([])
      expect(kept).toEqual([created(2)])
    })

    it('keeps delivering to the others when a listener throws', async () => {
      const bus = await make()
      const seen: ServerEvent[] = []
      bus.subscribe(() => {
        throw new Error('socket gone')
      })
      bus.subscribe((e) => seen.push(e))
      bus.publish(created(3))
      bus.publish(created(4))
      await waitFor(() => seen.length >= 2, 'both events')
      await sleep(SETTLE_MS)
      expect(seen).toEqual([created(3), created(4)])
    })
  })
}

describeBusContract('in-process', async () => createInProcessBus())

const prefix = runPrefix()

describe('on Redis', () => {
  // Pub/sub leaves no keys; the cleanup guards against a future change that does.
  requireRedis('the Redis bus suite', prefix)

  describeBusContract('redis', () => createRedisBus({ redisUrl: REDIS_URL, prefix }))

  it('two processes each receive, once, what either publishes', async () => {
    const one = await createRedisBus({ redisUrl: REDIS_URL, prefix })
    const two = await createRedisBus({ redisUrl: REDIS_URL, prefix })
    try {
      const atOne: ServerEvent[] = []
      const atTwo: ServerEvent[] = []
      one.subscribe((e) => atOne.push(e))
      two.subscribe((e) => atTwo.push(e))
      one.publish(created(10))
      two.publish(created(20))
      await waitFor(() => atOne.length >= 2 && atTwo.length >= 2, 'both events at both buses')
      await sleep(SETTLE_MS)
      const ids = (events: ServerEvent[]) => events.map((e) => e.item.id).sort((a, b) => a - b)
      expect(ids(atOne)).toEqual([10, 20])
      expect(ids(atTwo)).toEqual([10, 20])
    } finally {
      await Promise.all([one.close(), two.close()])
    }
  })

  it('does not hear buses under another prefix', async () => {
    const mine = await createRedisBus({ redisUrl: REDIS_URL, prefix })
    const other = await createRedisBus({ redisUrl: REDIS_URL, prefix: `${prefix}-other` })
    try {
      const heard: ServerEvent[] = []
      mine.subscribe((e) => heard.push(e))
      other.publish(created(30))
      mine.publish(created(31))
      await waitFor(() => heard.length >= 1, 'own event')
      await sleep(SETTLE_MS)
      expect(heard.map((e) => e.item.id)).toEqual([31])
    } finally {
      await Promise.all([mine.close(), other.close()])
    }
  })
})
