// The SLA state of an item as the inbox shows it, and the countdown to its due time counted in
// WORKING time on the item's calendar (shared business-time arithmetic). Past due, the lateness is
// counted on the wall clock: how long the citizen has waited beyond the promise.
import { isWorking, workingBetween, type Calendar, type ItemSummary } from '@tanggap/shared'
import { translate, type Lang } from './i18n.ts'

export type SlaState = 'none' | 'normal' | 'warning' | 'breached'

type SlaItem = Pick<ItemSummary, 'status' | 'dueAt' | 'warnAt' | 'breachedAt'>

/** none: nothing awaits an answer (answered, closed, excluded); breached: breachedAt set or now ≥ due; warning: now ≥ warnAt. */
export function slaState(item: SlaItem, now: number): SlaState {
  if (item.status === 'closed' || item.dueAt === null) return 'none'
  if (item.breachedAt !== null || now >= item.dueAt) return 'breached'
  if (item.warnAt !== null && now >= item.warnAt) return 'warning'
  return 'normal'
}

export interface Countdown {
  state: Exclude<SlaState, 'none'>
  /** Whole seconds. Before due: working time left (wall clock when the calendar is unknown or 24/7). Past due: wall-clock time late. */
  seconds: number
  /** The seconds are working time on an office-hours calendar. */
  working: boolean
  /** Outside working time: the working countdown stands still. */
  paused: boolean
}

export function countdown(item: SlaItem, calendar: Calendar | undefined, now: number): Countdown | null {
  const state = slaState(item, now)
  if (state === 'none' || item.dueAt === null) return null
  if (state === 'breached') return { state, seconds: Math.max(0, Math.floor((now - item.dueAt) / 1000)), working: false, paused: false }
  const working = Boolean(calendar && !calendar.alwaysOpen)
  const left = calendar ? workingBetween(calendar, now, item.dueAt) : (item.dueAt - now) / 1000
  // Rounded up, as a countdown does: "1 dtk" until the moment itself.
  return { state, seconds: Math.max(0, Math.ceil(left)), working, paused: working && !isWorking(calendar!, now) }
}

/** "1 j 20 m", "4 m 05 dtk", "45 dtk"; days only on the wall clock ("2 hr 3 j"), since a working day is not 24 hours. */
export function formatCountdown(seconds: number, lang: Lang, days: boolean): string {
  const s = Math.floor(seconds)
  if (days && s >= 86_400) {
    const d = Math.floor(s / 86_400)
    const h = Math.floor((s % 86_400) / 3600)
    return h ? translate(lang, 'cd.dh', { d, h }) : translate(lang, 'cd.d', { d })
  }
  if (s >= 3600) {
    const h = Math.floor(s / 3600)
    const m = Math.floor((s % 3600) / 60)
    return m ? translate(lang, 'cd.hm', { h, m }) : translate(lang, 'cd.h', { h })
  }
  if (s >= 60) {
    const m = Math.floor(s / 60)
    const r = s % 60
    return translate(lang, 'cd.ms', { m, s: String(r).padStart(2, '0') })
  }
  return translate(lang, 'cd.s', { s })
}

/** The sentence on a row: "sisa 1 j 20 m jam kerja", "sisa 45 dtk", "terlambat 2 j". */
export function countdownText(c: Countdown, lang: Lang): string {
  if (c.state === 'breached') return translate(lang, 'sla.late', { d: formatCountdown(c.seconds, lang, true) })
  const d = formatCountdown(c.seconds, lang, !c.working)
  return translate(lang, c.working ? 'sla.left' : 'sla.leftPlain', { d })
}
