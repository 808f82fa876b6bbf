import type { ItemSummary } from '@tanggap/shared'
import type { Calendars } from '../calendars.ts'
import { useI18n } from '../i18n.ts'
import { countdown, countdownText } from '../sla.ts'
import { formatDateTime } from '../time.ts'

interface Props {
  item: Pick<ItemSummary, 'status' | 'dueAt' | 'warnAt' | 'breachedAt' | 'calendarId'>
  now: number
  calendars: Calendars | null
}

/** "sisa 1 j 20 m jam kerja" (normal), amber past the warning point, red past due ("terlambat 2 j"). Nothing when no answer is awaited. */
export function SlaCountdown({ item, now, calendars }: Props) {
  const { t, lang } = useI18n()
  const calendar = item.calendarId !== null ? calendars?.get(item.calendarId) : undefined
  const c = countdown(item, calendar, now)
  if (!c || item.dueAt === null) return null
  const due = formatDateTime(item.dueAt, lang)
  const title = c.state === 'breached' ? t('sla.lateHint', { time: due }) : `${t('sla.dueTitle', { time: due })}${c.working ? `. ${t('sla.workingHint')}` : ''}`
  return (
    // role=timer (not announced on every tick, even inside the list's live region).
    <span className={`sla-countdown sla-${c.state}`} role="timer" aria-live="off" data-testid="sla-countdown" data-sla={c.state} title={title}>
      {countdownText(c, lang)}
      {c.paused ? <span className="sla-paused"> · {t('sla.paused')}</span> : null}
    </span>
  )
}
