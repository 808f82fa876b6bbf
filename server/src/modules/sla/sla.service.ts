// SLA settings (calendars and policies) and the supervisor's live board. Editing a policy or a
// calendar moves the open clocks from now on: the working time an awaiting period has already
// used is kept, the rest is counted under the new rule; finished periods keep their values.
import { eq } from 'drizzle-orm'
import { calendars, slaPolicies, type Db } from '@tanggap/db'
import {
  addWorking,
  calendarProblems,
  localMidnight,
  workingBetween,
  type Board,
  type BoardBreach,
  type BoardQuery,
  type BoardTile,
  type Calendar,
  type CalendarBody,
  type CalendarView,
  type PolicyBody,
  type PolicyView,
} from '@tanggap/shared'
import { canSeeOpd, userOf, visibleOpds, type Ctx } from '../../lib/context.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit, type Tx } from '../audit/audit.repo.ts'
import type { ItemsRepo } from '../items/items.repo.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'
import type { PeriodRow, SlaRepo } from './sla.repo.ts'

interface Deps {
  db: Db
  sla: SlaRepo
  items: ItemsRepo
  opds: OpdsRepo
  clock: () => number
  timeZone: string
}

/** The board's "latest breaches". */
const FEED_SIZE = 50

const median = (xs: number[]): number | null => {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2)
}

const calendarOf = (body: CalendarBody): Calendar => ({
  timeZone: body.timeZone,
  alwaysOpen: body.alwaysOpen,
  week: body.week,
  closedDays: body.closedDays,
  specialDays: body.specialDays,
})

export function slaService(d: Deps) {
  /** Moves open periods onto a changed rule from now on. `before` gives each period's calendar before the change. */
  function moveOpenClocks(tx: Tx, periods: PeriodRow[], before: (p: PeriodRow) => Calendar, now: number): void {
    const used = new Map(periods.map((p) => [p.id, workingBetween(before(p), p.startedAt, Math.max(now, p.startedAt))]))
    d.sla.changed()
    for (const p of periods) {
      const policy = d.sla.policy(p.policyId)
      if (!policy) continue
      const cal = d.sla.calendar(policy.calendarId)
      const target = p.kind === 'first' ? policy.firstResponseSeconds : policy.nextResponseSeconds
      const spent = used.get(p.id)!
      const from = Math.max(now, p.startedAt)
      const dueAt = p.breachedAt ?? addWorking(cal, from, Math.max(0, target - spent))
      const warnAt = p.warnedAt ?? addWorking(cal, from, Math.max(0, Math.round(target * policy.warnRatio) - spent))
      d.sla.updatePeriod(tx, p.id, { targetSeconds: target, dueAt, warnAt })
      if (!p.breachedAt) d.items.update(tx, p.itemId, { dueAt, warnAt })
    }
  }

  const policyView = (id: number): PolicyView => {
    const p = d.sla.policy(id)
    if (!p) throw notFound('Policy')
    const { id: _id, ...rest } = p
    return { id, ...rest, conditions: p.conditions }
  }

  function checkCalendar(body: CalendarBody) {
    const problems = calendarProblems(calendarOf(body))
    if (problems.length) throw new AppError('VALIDATION', problems.join('; '), ['calendar'])
  }

  function checkPolicy(body: PolicyBody) {
    if (!d.sla.calendars().some((c) => c.id === body.calendarId)) throw new AppError('VALIDATION', 'Unknown calendar', ['calendarId'])
    const unknown = (body.conditions.opdIds ?? []).filter((id) => !d.opds.byId(id))
    if (unknown.length) throw new AppError('VALIDATION', `Unknown OPD ${unknown.join(', ')}`, ['conditions.opdIds'])
  }

  return {
    calendars: (): CalendarView[] =>
      d.sla.calendars().map((c) => ({
        id: c.id,
        name: c.name,
        timeZone: c.timeZone,
        alwaysOpen: c.alwaysOpen,
        week: c.week,
        closedDays: c.closedDays,
        specialDays: c.specialDays ?? {},
      })),

    createCalendar(ctx: Ctx, body: CalendarBody): CalendarView {
      checkCalendar(body)
      const now = d.clock()
      const id = d.db.transaction((tx) => {
        const row = tx
          .insert(calendars)
          .values({ ...body, updatedAt: now })
          .returning({ id: calendars.id })
          .get()
        writeAudit(d.db, ctx, now, { action: 'calendar.create', entity: 'calendar', entityId: row.id, after: body })
        return row.id
      })
      d.sla.changed()
      return this.calendars().find((c) => c.id === id)!
    },

    updateCalendar(ctx: Ctx, id: number, body: CalendarBody): CalendarView {
      checkCalendar(body)
      const old = d.sla.calendars().find((c) => c.id === id)
      if (!old) throw notFound('Calendar')
      const now = d.clock()
      d.db.transaction((tx) => {
        const usingIt = d.sla
          .policies()
          .filter((p) => p.calendarId === id)
          .map((p) => p.id)
        const periods = d.sla.openPeriods(tx).filter((p) => usingIt.includes(p.policyId))
        tx.update(calendars)
          .set({ ...body, updatedAt: now })
          .where(eq(calendars.id, id))
          .run()
        moveOpenClocks(tx, periods, () => old, now)
        writeAudit(d.db, ctx, now, { action: 'calendar.update', entity: 'calendar', entityId: id, before: old, after: body })
      })
      d.sla.changed()
      return this.calendars().find((c) => c.id === id)!
    },

    policies: (): PolicyView[] => d.sla.policies().map((p) => policyView(p.id)),

    createPolicy(ctx: Ctx, body: PolicyBody): PolicyView {
      checkPolicy(body)
      const now = d.clock()
      const id = d.db.transaction((tx) => {
        const row = tx
          .insert(slaPolicies)
          .values({ ...body, updatedAt: now })
          .returning({ id: slaPolicies.id })
          .get()
        writeAudit(d.db, ctx, now, { action: 'policy.create', entity: 'sla_policy', entityId: row.id, after: body })
        return row.id
      })
      d.sla.changed()
      return policyView(id)
    },

    updatePolicy(ctx: Ctx, id: number, body: PolicyBody): PolicyView {
      checkPolicy(body)
      const old = d.sla.policy(id)
      if (!old) throw notFound('Policy')
      const now = d.clock()
      const oldCal = d.sla.calendar(old.calendarId)
      d.db.transaction((tx) => {
        const periods = d.sla.openPeriods(tx).filter((p) => p.policyId === id)
        tx.update(slaPolicies)
          .set({ ...body, updatedAt: now })
          .where(eq(slaPolicies.id, id))
          .run()
        moveOpenClocks(tx, periods, () => oldCal, now)
        writeAudit(d.db, ctx, now, { action: 'policy.update', entity: 'sla_policy', entityId: id, before: old, after: body })
      })
      d.sla.changed()
      return policyView(id)
    },

    board(ctx: Ctx, q: BoardQuery): Board {
      const actor = userOf(ctx)
      const now = d.clock()
      const visible = visibleOpds(actor)
      const filter = { ...q, opdIds: visible }
      const open = d.sla.boardOpenItems(filter)
      const answered = d.sla.boardFirstResponses(filter, localMidnight(d.timeZone, now))

      const tiles: BoardTile[] = d.opds
        .list()
        .filter((o) => !visible || visible.includes(o.id))
        .map((opd) => {
          const mine = open.filter((i) => i.opdId === opd.id)
          const done = answered.filter((a) => a.opdId === opd.id)
          return {
            opd,
            open: mine.length,
            nearDue: mine.filter((i) => i.breachedAt === null && i.warnAt !== null && i.warnAt <= now).length,
            breached: mine.filter((i) => i.breachedAt !== null).length,
            medianFirstResponseSeconds: median(done.map((a) => a.seconds ?? 0)),
            medianFirstResponseWorkingSeconds: median(done.map((a) => a.working ?? 0)),
            answeredToday: done.length,
          }
        })
      tiles.sort((a, b) => b.breached - a.breached || b.nearDue - a.nearDue || b.open - a.open || a.opd.name.localeCompare(b.opd.name))

      // A breach stays listed for the OPD it is charged to, but what the item is now shows only to
      // those the item routes would show it to: an item since moved elsewhere is when and whose only.
      const breaches = d.sla.boardBreaches(filter, FEED_SIZE).flatMap((b): BoardBreach[] => {
        const item = d.items.summary(b.itemId)
        const opd = d.opds.byId(b.opdId)
        if (!item || !opd) return []
        return [canSeeOpd(actor, item.opd.id) ? { at: b.at, opd, item } : { at: b.at, opd, item: null, ref: b.id }]
      })
      return { tiles, breaches, generatedAt: now }
    },
  }
}

export type SlaService = ReturnType<typeof slaService>
