// The response clocks of an item, moved inside the transaction of the change that moves them
// (design.md, "Measuring response time"): a citizen message opens an awaiting period with its due
// and warning moments; a government reply closes it with wall-clock and working seconds; closing
// an item records its resolution or, for spam and "no response needed", takes it out of the figures.
import { and, asc, desc, eq, lte } from 'drizzle-orm'
import { dispositions, type Db } from '@tanggap/db'
import { addWorking, workingBetween } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'
import type { ItemRow } from '../items/items.repo.ts'
import { afterCitizenMessage, afterGovernmentReply } from '../items/response-clock.ts'
import { choosePolicy, periodMoments, type Policy } from './policy.ts'
import type { SlaRepo } from './sla.repo.ts'

export const EXCLUSION_REASONS = ['spam', 'no_response_needed'] as const
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number]

const seconds = (ms: number) => Math.round(ms / 1000)

export function slaClock(d: { db: Db; sla: SlaRepo }) {
  function policyOf(item: ItemRow): Policy | undefined {
    return (item.policyId !== null ? d.sla.policy(item.policyId) : undefined) ?? choosePolicy(d.sla.policies(), item)
  }

  /** The OPD that held the item at a moment, from the hand-off log (a breach belongs to the holder at due time). */
  function opdAt(tx: Tx | Db, item: Pick<ItemRow, 'id' | 'opdId'>, at: number): number {
    const before = tx
      .select()
      .from(dispositions)
      .where(and(eq(dispositions.itemId, item.id), lte(dispositions.at, at)))
      .orderBy(desc(dispositions.at), desc(dispositions.id))
      .limit(1)
      .get()
    if (before) return before.toOpdId
    const after = tx.select().from(dispositions).where(eq(dispositions.itemId, item.id)).orderBy(asc(dispositions.at), asc(dispositions.id)).limit(1).get()
    return after ? after.fromOpdId : item.opdId
  }

  return {
    opdAt,

    /** A citizen wrote at `at`: an awaiting period starts unless one runs; a paused resolution clock resumes. */
    citizenMessage(tx: Tx, item: ItemRow, at: number): Partial<ItemRow> {
      const patch: Partial<ItemRow> = afterCitizenMessage(item, at)
      if (item.excludedReason) return patch
      const policy = policyOf(item)
      if (!policy) return patch
      const cal = d.sla.calendar(policy.calendarId)
      patch.policyId = policy.id
      if (item.pausedSince !== null) {
        const paused = item.pausedSeconds + Math.max(0, Math.round(workingBetween(cal, item.pausedSince, at)))
        patch.pausedSince = null
        patch.pausedSeconds = paused
        if (policy.resolutionSeconds !== null) patch.resolutionDueAt = addWorking(cal, item.firstMessageAt, policy.resolutionSeconds + paused)
      }
      if (d.sla.openPeriod(tx, item.id)) return patch
      const first = !d.sla.hasPeriods(tx, item.id)
      const target = first ? policy.firstResponseSeconds : policy.nextResponseSeconds
      const { dueAt, warnAt } = periodMoments(cal, at, target, policy.warnRatio)
      d.sla.insertPeriod(tx, { itemId: item.id, kind: first ? 'first' : 'next', startedAt: at, policyId: policy.id, targetSeconds: target, dueAt, warnAt })
      Object.assign(patch, { dueAt, warnAt, breachedAt: null })
      if (first && policy.resolutionSeconds !== null && item.resolutionDueAt === null) patch.resolutionDueAt = addWorking(cal, at, policy.resolutionSeconds)
      return patch
    },

    /** The government answered at `at` (from Tanggap or natively): the open awaiting period ends. */
    governmentReply(tx: Tx, item: ItemRow, at: number): Partial<ItemRow> {
      const patch: Partial<ItemRow> = afterGovernmentReply(item, at)
      const period = d.sla.openPeriod(tx, item.id)
      if (!period || at < period.startedAt) return patch
      const policy = d.sla.policy(period.policyId) ?? policyOf(item)
      const cal = d.sla.calendar(policy!.calendarId)
      const wall = seconds(at - period.startedAt)
      const working = Math.round(workingBetween(cal, period.startedAt, at))
      d.sla.updatePeriod(tx, period.id, { answeredAt: at, responseSeconds: wall, responseWorkingSeconds: working, answerOpdId: item.opdId })
      d.sla.addMetric(tx, {
        type: period.kind === 'first' ? 'first_response' : 'next_response',
        itemId: item.id,
        periodId: period.id,
        opdId: item.opdId,
        platform: item.platform,
        channelId: item.channelId,
        at,
        periodStartedAt: period.startedAt,
        seconds: wall,
        workingSeconds: working,
        // Answered after due stays a breach.
        withinSla: at <= period.dueAt,
      })
      Object.assign(patch, { dueAt: null, warnAt: null, breachedAt: null })
      if (period.kind === 'first') patch.firstResponseWorkingSeconds = working
      if (policy?.pauseWhileWaiting && item.resolutionDueAt !== null && item.closedAt === null) patch.pausedSince = at
      return patch
    },

    /** Closing: records the resolution, or with an exclusion reason takes the item out of the SLA figures (kept in volume counts). */
    close(tx: Tx, item: ItemRow, now: number, reason: ExclusionReason | null): Partial<ItemRow> {
      const patch: Partial<ItemRow> = { status: 'closed', closedAt: now, pausedSince: null }
      if (reason) {
        patch.excludedReason = reason
        Object.assign(patch, { dueAt: null, warnAt: null })
        const open = d.sla.openPeriod(tx, item.id)
        if (open) d.sla.updatePeriod(tx, open.id, { excluded: true })
        d.sla.addMetric(tx, {
          type: 'excluded',
          itemId: item.id,
          opdId: item.opdId,
          platform: item.platform,
          channelId: item.channelId,
          at: now,
          detail: reason,
        })
        return patch
      }
      const policy = policyOf(item)
      if (policy?.resolutionSeconds != null && item.resolutionDueAt !== null) {
        const cal = d.sla.calendar(policy.calendarId)
        const paused = item.pausedSeconds + (item.pausedSince !== null ? Math.round(workingBetween(cal, item.pausedSince, now)) : 0)
        d.sla.addMetric(tx, {
          type: 'resolution',
          itemId: item.id,
          opdId: item.opdId,
          platform: item.platform,
          channelId: item.channelId,
          at: now,
          periodStartedAt: item.firstMessageAt,
          seconds: seconds(now - item.firstMessageAt),
          workingSeconds: Math.max(0, Math.round(workingBetween(cal, item.firstMessageAt, now)) - paused),
          withinSla: now <= item.resolutionDueAt,
        })
      }
      return patch
    },

    /** Reopening brings an excluded item back into the figures from its next citizen message. */
    reopen(item: ItemRow): Partial<ItemRow> {
      return { status: item.awaitingSince === null ? 'answered' : 'open', closedAt: null, excludedReason: null }
    },

    /** A hand-off: the clock keeps running; the log keeps how long the former OPD held the item. */
    handoff(tx: Tx, item: ItemRow, now: number): void {
      const last = tx
        .select({ at: dispositions.at })
        .from(dispositions)
        .where(eq(dispositions.itemId, item.id))
        .orderBy(desc(dispositions.at), desc(dispositions.id))
        .limit(1)
        .get()
      const since = last?.at ?? item.createdAt
      d.sla.addMetric(tx, {
        type: 'handoff',
        itemId: item.id,
        opdId: item.opdId,
        platform: item.platform,
        channelId: item.channelId,
        at: now,
        seconds: seconds(now - since),
      })
    },
  }
}

export type SlaClock = ReturnType<typeof slaClock>
