// Working-time arithmetic on a Calendar, exact to the millisecond: addWorking(start, seconds) is
// the moment when that much working time has passed; workingBetween(a, b) the working seconds
// between two moments. Pure and browser-safe: the server computes due times, the web app counts down.
import type { Calendar, TimeFrame } from './calendar.ts'

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
/** Ten years: a calendar with no working time in that span has none at all. */
const MAX_DAYS = 3660

/** UTC offset of a zone at a moment, in ms. Cached per zone and hour: Indonesian zones have no DST, others change on the hour. */
const offsetCache = new Map<string, number>()
const formatters = new Map<string, Intl.DateTimeFormat>()
function offsetMs(timeZone: string, at: number): number {
  const key = `${timeZone}|${Math.floor(at / 3_600_000)}`
  const hit = offsetCache.get(key)
  if (hit !== undefined) return hit
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  const offset = asUtc - Math.floor(at / 1000) * 1000
  if (offsetCache.size > 50_000) offsetCache.clear()
  offsetCache.set(key, offset)
  return offset
}

/** The UTC moment of the local midnight that starts the day containing `at` in a time zone. */
export function localMidnight(timeZone: string, at: number): number {
  const offset = offsetMs(timeZone, at)
  return Math.floor((at + offset) / DAY_MS) * DAY_MS - offset
}

/** The local day containing a moment: its date string, weekday and the UTC moment of its midnight. */
function localDay(cal: Calendar, at: number): { date: string; weekday: number; midnight: number } {
  const offset = offsetMs(cal.timeZone, at)
  const localMidnight = Math.floor((at + offset) / DAY_MS) * DAY_MS
  const d = new Date(localMidnight)
  return { date: d.toISOString().slice(0, 10), weekday: d.getUTCDay(), midnight: localMidnight - offset }
}

const closedSets = new WeakMap<Calendar, Set<string>>()
function framesOf(cal: Calendar, date: string, weekday: number): TimeFrame[] {
  const special = cal.specialDays?.[date]
  if (special) return special
  let closed = closedSets.get(cal)
  if (!closed) closedSets.set(cal, (closed = new Set(cal.closedDays)))
  return closed.has(date) ? [] : (cal.week[weekday] ?? [])
}

/** Working intervals [from, to) in UTC ms of each local day from the one containing `from`, forwards, up to the day containing `until`. */
function* workingIntervals(cal: Calendar, from: number, until = Number.POSITIVE_INFINITY): Generator<[number, number]> {
  let day = localDay(cal, from)
  for (let i = 0; i < MAX_DAYS; i++) {
    if (day.midnight >= until) return
    for (const f of framesOf(cal, day.date, day.weekday)) {
      const start = day.midnight + f.start * MINUTE_MS
      const end = day.midnight + f.end * MINUTE_MS
      if (end > from) yield [Math.max(start, from), end]
    }
    // The next local day starts at the next midnight (found via the offset there, in case it changed).
    day = localDay(cal, day.midnight + DAY_MS + 3_600_000)
  }
  throw new Error('the calendar has no working time in ten years')
}

/** The moment by which `seconds` of working time have passed after `start`. Zero seconds: `start` itself. */
export function addWorking(cal: Calendar, start: number, seconds: number): number {
  if (seconds < 0) throw new Error('seconds must not be negative')
  if (cal.alwaysOpen || seconds === 0) return start + seconds * 1000
  let left = seconds * 1000
  for (const [from, to] of workingIntervals(cal, start)) {
    if (left <= to - from) return from + left
    left -= to - from
  }
  throw new Error('unreachable')
}

/** Working seconds between two moments (negative when b is before a). */
export function workingBetween(cal: Calendar, a: number, b: number): number {
  if (b < a) return -workingBetween(cal, b, a)
  if (cal.alwaysOpen) return (b - a) / 1000
  let total = 0
  for (const [from, to] of workingIntervals(cal, a, b)) {
    if (from >= b) break
    total += Math.min(to, b) - from
  }
  return total / 1000
}

/** Whether a moment falls in working time. */
export function isWorking(cal: Calendar, at: number): boolean {
  if (cal.alwaysOpen) return true
  const day = localDay(cal, at)
  const minute = (at - day.midnight) / MINUTE_MS
  return framesOf(cal, day.date, day.weekday).some((f) => minute >= f.start && minute < f.end)
}
