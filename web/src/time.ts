// Dates and times are always shown in the regency's zone, Asia/Jakarta, with the suffix WIB.
import { translate, type Lang } from './i18n.ts'

const ZONE = 'Asia/Jakarta'
const locales: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' }
const cache = new Map<string, Intl.DateTimeFormat>()

function formatter(lang: Lang, kind: 'full' | 'time' | 'day' | 'date'): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`
  let f = cache.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'full'
        ? { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit' }
          : kind === 'day'
            ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
            : { year: 'numeric', month: '2-digit', day: '2-digit' }
    f = new Intl.DateTimeFormat(locales[lang], { timeZone: ZONE, hourCycle: 'h23', ...options })
    cache.set(key, f)
  }
  return f
}

/** "12 Mar 2025 14.05 WIB" */
export function formatDateTime(ms: number, lang: Lang): string {
  return `${formatter(lang, 'full').format(ms)} WIB`
}

const sameJakartaDay = (a: number, b: number) => formatter('en', 'date').format(a) === formatter('en', 'date').format(b)
const sameJakartaYear = (a: number, b: number) => formatter('en', 'date').format(a).slice(-4) === formatter('en', 'date').format(b).slice(-4)

/** Short form for lists: the time today, the day and time this year, the full date otherwise. */
export function formatShort(ms: number, now: number, lang: Lang): string {
  if (sameJakartaDay(ms, now)) return `${formatter(lang, 'time').format(ms)} WIB`
  if (sameJakartaYear(ms, now)) return `${formatter(lang, 'day').format(ms)} WIB`
  return formatDateTime(ms, lang)
}

/** A duration in whole minutes, hours and days, worded by the messages under prefix. */
function duration(ms: number, lang: Lang, prefix: 'time' | 'time.long'): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000))
  if (minutes < 1) return translate(lang, `${prefix}.underMinute`)
  if (minutes < 60) return translate(lang, `${prefix}.minutes`, { n: minutes })
  const hours = Math.floor(minutes / 60)
  if (hours < 24) {
    const m = minutes % 60
    return m === 0 ? translate(lang, `${prefix}.hours`, { n: hours }) : translate(lang, `${prefix}.hoursMinutes`, { h: hours, m })
  }
  const days = Math.floor(hours / 24)
  const h = hours % 24
  return h === 0 ? translate(lang, `${prefix}.days`, { n: days }) : translate(lang, `${prefix}.daysHours`, { d: days, h })
}

/** "2 j 5 mnt": a compact duration for waiting times. */
export const formatDuration = (ms: number, lang: Lang): string => duration(ms, lang, 'time')

/** "3 jam 12 menit": a duration spelled out, for sentences such as the reply window. */
export const formatDurationLong = (ms: number, lang: Lang): string => duration(ms, lang, 'time.long')
