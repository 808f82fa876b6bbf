// Working calendars: several time frames per weekday, closed days (holidays, cuti bersama, one-off
// days off), one-off days with their own frames, a time zone, or always open (24/7).
import { INDONESIAN_HOLIDAYS } from './holidays-id.ts'

/** Minutes after local midnight: [start, end). */
export interface TimeFrame {
  start: number
  end: number
}

export interface Calendar {
  /** IANA time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT). */
  timeZone: string
  /** 24/7 units (RSUD, BPBD, Damkar): every moment counts. */
  alwaysOpen: boolean
  /** Frames per weekday, 0 = Sunday … 6 = Saturday. */
  week: TimeFrame[][]
  /** Local dates (YYYY-MM-DD) with no working time. */
  closedDays: string[]
  /** Local dates with their own frames (a Saturday made a working day, a half day), overriding the weekday and closedDays. */
  specialDays?: Record<string, TimeFrame[]>
}

/** "07:30" → 450. */
export function hm(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s)
  if (!m) throw new Error(`not a time of day: ${s}`)
  const minutes = Number(m[1]) * 60 + Number(m[2])
  if (minutes > 24 * 60 || Number(m[2]) >= 60) throw new Error(`not a time of day: ${s}`)
  return minutes
}

const frames = (...pairs: [string, string][]): TimeFrame[] => pairs.map(([a, b]) => ({ start: hm(a), end: hm(b) }))

/** Mon–Thu 07:30–12:00 and 13:00–16:00, Fri 07:30–11:30 and 13:00–16:30 (the longer Friday break is for Friday prayer). */
export const DEFAULT_WEEK: TimeFrame[][] = [
  [],
  frames(['07:30', '12:00'], ['13:00', '16:00']),
  frames(['07:30', '12:00'], ['13:00', '16:00']),
  frames(['07:30', '12:00'], ['13:00', '16:00']),
  frames(['07:30', '12:00'], ['13:00', '16:00']),
  frames(['07:30', '11:30'], ['13:00', '16:30']),
  [],
]

export const defaultCalendar = (timeZone = 'Asia/Jakarta'): Calendar => ({
  timeZone,
  alwaysOpen: false,
  week: DEFAULT_WEEK,
  closedDays: INDONESIAN_HOLIDAYS.map((h) => h.date),
})

export const alwaysOpenCalendar = (timeZone = 'Asia/Jakarta'): Calendar => ({ timeZone, alwaysOpen: true, week: [], closedDays: [] })

/** Problems with a calendar a person edited, in words; empty when it is usable. */
export function calendarProblems(cal: Calendar): string[] {
  const problems: string[] = []
  try {
    new Intl.DateTimeFormat('en', { timeZone: cal.timeZone })
  } catch {
    problems.push(`unknown time zone ${cal.timeZone}`)
  }
  const check = (label: string, list: TimeFrame[]) => {
    const sorted = [...list].sort((a, b) => a.start - b.start)
    sorted.forEach((f, i) => {
      if (!(Number.isInteger(f.start) && Number.isInteger(f.end) && f.start >= 0 && f.end <= 1440 && f.start < f.end))
        problems.push(`${label}: frame ${f.start}–${f.end} is not within one day`)
      const next = sorted[i + 1]
      if (next && next.start < f.end) problems.push(`${label}: frames overlap`)
    })
  }
  if (!cal.alwaysOpen) {
    if (cal.week.length !== 7) problems.push('week must have 7 days')
    for (const [i, day] of cal.week.entries()) check(`weekday ${i}`, day)
    for (const [date, list] of Object.entries(cal.specialDays ?? {})) check(date, list)
    if (cal.week.every((d) => d.length === 0) && Object.keys(cal.specialDays ?? {}).length === 0) problems.push('the calendar has no working time')
  }
  for (const d of [...cal.closedDays, ...Object.keys(cal.specialDays ?? {})]) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) problems.push(`bad date ${d}`)
  return problems
}
