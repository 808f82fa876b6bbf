// The inbox's urgency order, shared by the server (SQL in items.repo.ts follows the same rule) and
// the web app (live frames are placed by it): items with a running due time first, earliest due
// first (so breached ones, due in the past, lead), ties by id ascending; then every other item
// newest first (id descending). A closed item's due time does not count: nobody works on it.

export interface UrgencySubject {
  id: number
  status: 'open' | 'answered' | 'closed'
  dueAt: number | null
}

/** The due time the urgency order uses: null for closed items and items nothing awaits. */
export const urgencyDueAt = (item: UrgencySubject): number | null => (item.status === 'closed' ? null : item.dueAt)

/** Negative when a comes before b in the urgency order. */
export function compareUrgency(a: UrgencySubject, b: UrgencySubject): number {
  const da = urgencyDueAt(a)
  const db = urgencyDueAt(b)
  if (da !== null && db !== null) return da - db || a.id - b.id
  if (da !== null) return -1
  if (db !== null) return 1
  return b.id - a.id
}

/** Negative when a comes before b in the newest-first order. */
export const compareNewest = (a: UrgencySubject, b: UrgencySubject): number => b.id - a.id
