// Fires warnings and breaches at their moment. It sleeps until the earliest pending moment in the
// database (and looks again at least every POLL_MS, for deadlines other processes created), so a
// breach is out well within a second of its due time. Moments that passed while no scheduler ran
// fire at once on start. Every firing is recorded with its own moment, once: the database row says
// whether it fired. In redis mode only the leader fires.
import type { Db } from '@tanggap/db'
import type { FastifyBaseLogger } from 'fastify'
import type { EventBus } from '../../events/bus.ts'
import type { LeaderLock } from '../../lib/leader.ts'
import type { ItemsRepo } from '../items/items.repo.ts'
import type { SlaClock } from './clock.service.ts'
import type { SlaRepo } from './sla.repo.ts'

const POLL_MS = 250

export interface Fired {
  type: 'sla.warning' | 'sla.breach' | 'resolution_breach'
  itemId: number
  at: number
  opdId: number
}

interface Deps {
  db: Db
  sla: SlaRepo
  clock: SlaClock
  items: ItemsRepo
  bus: Pick<EventBus, 'publish'>
  now: () => number
  leader: LeaderLock
  log: FastifyBaseLogger
}

export function slaScheduler(d: Deps) {
  /** Records every warning and breach whose moment has come; returns what fired. */
  function fireDue(now: number): Fired[] {
    const fired: Fired[] = []
    d.db.transaction((tx) => {
      for (const p of d.sla.dueWarnings(now)) {
        const item = d.items.byId(p.itemId)!
        const opdId = d.clock.opdAt(tx, item, p.warnAt)
        d.sla.updatePeriod(tx, p.id, { warnedAt: p.warnAt })
        d.sla.addMetric(tx, {
          type: 'warning',
          itemId: item.id,
          periodId: p.id,
          opdId,
          platform: item.platform,
          channelId: item.channelId,
          at: p.warnAt,
          periodStartedAt: p.startedAt,
        })
        fired.push({ type: 'sla.warning', itemId: item.id, at: p.warnAt, opdId })
      }
      for (const p of d.sla.dueBreaches(now)) {
        const item = d.items.byId(p.itemId)!
        const opdId = d.clock.opdAt(tx, item, p.dueAt)
        d.sla.updatePeriod(tx, p.id, { breachedAt: p.dueAt, breachOpdId: opdId })
        d.items.update(tx, item.id, { breachedAt: p.dueAt })
        d.sla.addMetric(tx, {
          type: 'breach',
          itemId: item.id,
          periodId: p.id,
          opdId,
          platform: item.platform,
          channelId: item.channelId,
          at: p.dueAt,
          periodStartedAt: p.startedAt,
          seconds: Math.round((p.dueAt - p.startedAt) / 1000),
          withinSla: false,
        })
        fired.push({ type: 'sla.breach', itemId: item.id, at: p.dueAt, opdId })
      }
      for (const id of d.sla.lateResolutions(now)) {
        const item = d.items.byId(id)!
        const at = item.resolutionDueAt!
        const opdId = d.clock.opdAt(tx, item, at)
        d.items.update(tx, item.id, { resolutionBreachedAt: at })
        d.sla.addMetric(tx, {
          type: 'resolution_breach',
          itemId: item.id,
          opdId,
          platform: item.platform,
          channelId: item.channelId,
          at,
          periodStartedAt: item.firstMessageAt,
          withinSla: false,
        })
        fired.push({ type: 'resolution_breach', itemId: item.id, at, opdId })
      }
    })
    return fired
  }

  function publish(fired: Fired[]) {
    for (const f of fired) {
      const item = d.items.summary(f.itemId)
      if (!item) continue
      if (f.type === 'sla.breach') d.bus.publish({ type: 'sla.breach', item, at: f.at, opdId: f.opdId })
      else if (f.type === 'sla.warning') d.bus.publish({ type: 'sla.warning', item, at: f.at })
      else d.bus.publish({ type: 'item.updated', item })
    }
  }

  let timer: NodeJS.Timeout | undefined
  let stopped = true

  async function tick() {
    if (stopped) return
    let wait = POLL_MS
    try {
      if (await d.leader.lead()) {
        const fired = fireDue(d.now())
        if (fired.length) publish(fired)
        const next = d.sla.nextMoment()
        if (next !== null) wait = Math.max(0, Math.min(POLL_MS, next - d.now()))
      } else wait = 1_000
    } catch (err) {
      d.log.error({ err }, 'SLA scheduler tick failed')
      wait = 1_000
    }
    if (!stopped) timer = setTimeout(() => void tick(), wait)
  }

  return {
    fireDue,
    /** Fires due moments and publishes them (tests drive the scheduler with this). */
    runOnce(): Fired[] {
      const fired = fireDue(d.now())
      publish(fired)
      return fired
    },
    start() {
      if (!stopped) return
      stopped = false
      void tick()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await d.leader.release()
    },
  }
}

export type SlaScheduler = ReturnType<typeof slaScheduler>
