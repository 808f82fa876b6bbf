// SQL for calendars, policies, awaiting periods and metric events.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm'
import { calendars, items, metricEvents, rowInserter, rowReader, rowUpdater, slaPeriods, slaPolicies, type Db } from '@tanggap/db'
import type { BoardQuery, Calendar } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'
import type { Policy } from './policy.ts'

export type PeriodRow = typeof slaPeriods.$inferSelect
export type NewMetricEvent = typeof metricEvents.$inferInsert
/** The board's filters; opdIds null means every OPD. */
export type BoardFilter = BoardQuery & { opdIds: number[] | null }

/** Policies and calendars change rarely and are read on every message: cached, refreshed after edits and every few seconds (other processes may edit). */
const CACHE_MS = 5_000

function metricWhere(f: BoardFilter, type: NewMetricEvent['type']): SQL[] {
  const where: SQL[] = [eq(metricEvents.type, type)]
  if (f.opdIds) where.push(inArray(metricEvents.opdId, f.opdIds))
  if (f.platform) where.push(eq(metricEvents.platform, f.platform))
  if (f.channel) where.push(eq(metricEvents.channelId, f.channel))
  return where
}

export function slaRepo(db: Db) {
  let cache: { at: number; policies: Policy[]; calendars: Map<number, Calendar & { id: number; name: string }> } | null = null
  const load = () => {
    if (!cache || Date.now() - cache.at > CACHE_MS) {
      const cals = db.select().from(calendars).all()
      cache = {
        at: Date.now(),
        policies: db.select().from(slaPolicies).orderBy(asc(slaPolicies.position)).all(),
        calendars: new Map(
          cals.map((c) => [
            c.id,
            { id: c.id, name: c.name, timeZone: c.timeZone, alwaysOpen: c.alwaysOpen, week: c.week, closedDays: c.closedDays, specialDays: c.specialDays },
          ]),
        ),
      }
    }
    return cache
  }
  // The scheduler asks these several times a second. Each WHERE repeats a partial index's
  // condition word for word (literals, not parameters), so SQLite reads only running clocks.
  const PENDING_WARNING = 'answered_at IS NULL AND excluded = 0 AND warned_at IS NULL'
  const PENDING_BREACH = 'answered_at IS NULL AND excluded = 0 AND breached_at IS NULL'
  const RUNNING_RESOLUTION = 'closed_at IS NULL AND excluded_reason IS NULL AND resolution_breached_at IS NULL AND paused_since IS NULL'
  const nextMoment = db.$client.prepare<[], { at: number | null }>(`
    SELECT min(at) AS at FROM (
      SELECT min(warn_at) AS at FROM sla_periods WHERE ${PENDING_WARNING}
      UNION ALL SELECT min(due_at) FROM sla_periods WHERE ${PENDING_BREACH}
      UNION ALL SELECT min(resolution_due_at) FROM items WHERE ${RUNNING_RESOLUTION}
    )`)
  const periodColumns = `id, item_id AS itemId, kind, started_at AS startedAt, policy_id AS policyId, target_seconds AS targetSeconds,
    due_at AS dueAt, warn_at AS warnAt, warned_at AS warnedAt, breached_at AS breachedAt, breach_opd_id AS breachOpdId,
    answered_at AS answeredAt, response_seconds AS responseSeconds, response_working_seconds AS responseWorkingSeconds,
    answer_opd_id AS answerOpdId, excluded`
  const dueWarnings = db.$client.prepare<[number], PeriodRow>(
    `SELECT ${periodColumns} FROM sla_periods WHERE ${PENDING_WARNING} AND warn_at <= ? ORDER BY warn_at`,
  )
  const dueBreaches = db.$client.prepare<[number], PeriodRow>(
    `SELECT ${periodColumns} FROM sla_periods WHERE ${PENDING_BREACH} AND due_at <= ? ORDER BY due_at`,
  )
  const lateResolutions = db.$client.prepare<[number], { id: number }>(
    `SELECT id FROM items WHERE ${RUNNING_RESOLUTION} AND resolution_due_at <= ? ORDER BY resolution_due_at`,
  )
  const asPeriod = (r: PeriodRow): PeriodRow => ({ ...r, excluded: Boolean(r.excluded) })
  const insertPeriod = rowInserter(db, slaPeriods)
  const updatePeriod = rowUpdater(db, slaPeriods)
  const insertMetric = rowInserter(db, metricEvents)
  const openPeriod = rowReader(db, slaPeriods, 'item_id = ? AND answered_at IS NULL AND excluded = 0')
  const anyPeriod = db.$client.prepare<[number], { id: number }>('SELECT id FROM sla_periods WHERE item_id = ? LIMIT 1')

  return {
    policies: (): Policy[] => load().policies,
    calendar(id: number): Calendar {
      const cal = load().calendars.get(id)
      if (!cal) throw new Error(`calendar ${id} not found`)
      return cal
    },
    calendars: () => [...load().calendars.values()],
    policy: (id: number): Policy | undefined => load().policies.find((p) => p.id === id),
    changed: () => void (cache = null),

    // On the same connection as any open transaction, so they see its writes.
    openPeriod: (_tx: Tx | Db, itemId: number): PeriodRow | undefined => openPeriod(itemId),
    hasPeriods: (_tx: Tx | Db, itemId: number): boolean => anyPeriod.get(itemId) !== undefined,
    // Writes run on the connection of the open transaction.
    insertPeriod: (_tx: Tx, p: typeof slaPeriods.$inferInsert): number => insertPeriod(p),
    updatePeriod: (_tx: Tx, id: number, patch: Partial<PeriodRow>) => updatePeriod(id, patch),
    openPeriods: (tx: Tx | Db): PeriodRow[] =>
      tx
        .select()
        .from(slaPeriods)
        .where(and(isNull(slaPeriods.answeredAt), eq(slaPeriods.excluded, false)))
        .all(),
    periodsOf: (itemId: number): PeriodRow[] => db.select().from(slaPeriods).where(eq(slaPeriods.itemId, itemId)).orderBy(asc(slaPeriods.id)).all(),

    // Called inside the scheduler's transaction (one connection: the statements see its writes).
    dueWarnings: (now: number): PeriodRow[] => dueWarnings.all(now).map(asPeriod),
    dueBreaches: (now: number): PeriodRow[] => dueBreaches.all(now).map(asPeriod),
    lateResolutions: (now: number): number[] => lateResolutions.all(now).map((r) => r.id),

    nextMoment: (): number | null => nextMoment.get()?.at ?? null,

    addMetric: (_tx: Tx, e: NewMetricEvent) => void insertMetric(e),
    metricsOf: (itemId: number) => db.select().from(metricEvents).where(eq(metricEvents.itemId, itemId)).orderBy(asc(metricEvents.id)).all(),
    countMetrics: (type: NewMetricEvent['type']) => db.select({ n: sql<number>`count(*)` }).from(metricEvents).where(eq(metricEvents.type, type)).get()!.n,

    // The board. Open items count for the OPD holding them now; answers and breaches for the OPD
    // stored on their metric event (the one holding the item when it happened).
    boardOpenItems(f: BoardFilter) {
      const where: SQL[] = [eq(items.status, 'open'), isNull(items.excludedReason)]
      if (f.opdIds) where.push(inArray(items.opdId, f.opdIds))
      if (f.platform) where.push(eq(items.platform, f.platform))
      if (f.channel) where.push(eq(items.channelId, f.channel))
      return db
        .select({ opdId: items.opdId, warnAt: items.warnAt, dueAt: items.dueAt, breachedAt: items.breachedAt })
        .from(items)
        .where(and(...where))
        .all()
    },
    boardFirstResponses: (f: BoardFilter, since: number) =>
      db
        .select({ opdId: metricEvents.opdId, seconds: metricEvents.seconds, working: metricEvents.workingSeconds })
        .from(metricEvents)
        .where(and(...metricWhere(f, 'first_response'), gte(metricEvents.at, since)))
        .all(),
    /** Breaches of awaiting periods, newest first. */
    boardBreaches: (f: BoardFilter, limit: number) =>
      db
        .select({ id: metricEvents.id, itemId: metricEvents.itemId, opdId: metricEvents.opdId, at: metricEvents.at })
        .from(metricEvents)
        .where(and(...metricWhere(f, 'breach'), isNotNull(metricEvents.periodId)))
        .orderBy(desc(metricEvents.at), desc(metricEvents.id))
        .limit(limit)
        .all(),
  }
}

export type SlaRepo = ReturnType<typeof slaRepo>
