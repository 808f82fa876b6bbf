// The SLA calendars, fetched once per page load from GET /api/sla/calendars and shared by every
// countdown. Objects stay the same between renders (business-time caches per calendar object).
import { useEffect, useSyncExternalStore } from 'react'
import type { Calendar } from '@tanggap/shared'
import { listCalendars } from './api.ts'

export type Calendars = ReadonlyMap<number, Calendar>

let calendars: Calendars | null = null
let loading: Promise<void> | null = null
let failedAt = 0
const RETRY_MS = 30_000
const listeners = new Set<() => void>()

function load(): void {
  if (calendars || loading || Date.now() - failedAt < RETRY_MS) return
  loading = listCalendars()
    .then((list) => {
      calendars = new Map(
        list.map((c) => [c.id, { timeZone: c.timeZone, alwaysOpen: c.alwaysOpen, week: c.week, closedDays: c.closedDays, specialDays: c.specialDays }]),
      )
      for (const l of listeners) l()
    })
    .catch(() => {
      // Countdowns fall back to the wall clock until a later try succeeds.
      failedAt = Date.now()
    })
    .finally(() => {
      loading = null
    })
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The calendars by id; null while loading (or after a failure). */
export function useCalendars(): Calendars | null {
  const value = useSyncExternalStore(subscribe, () => calendars)
  useEffect(load, [])
  return value
}
