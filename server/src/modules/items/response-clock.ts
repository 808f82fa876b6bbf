// How a message moves an item's response clock (../shared/design.md, "Measuring response time").
// Pure: returns the columns to change.
import type { ItemRow } from './items.repo.ts'

type ClockState = Pick<ItemRow, 'status' | 'awaitingSince' | 'firstResponseAt'>

/** A citizen wrote: an awaiting period starts unless one is already running. */
export function afterCitizenMessage(item: ClockState, at: number): Partial<ItemRow> {
  return { status: 'open', awaitingSince: item.awaitingSince === null ? at : Math.min(item.awaitingSince, at) }
}

/** The government answered (from Tanggap or natively on the platform): the awaiting period ends. A reply older than the period's start answers nothing in it. */
export function afterGovernmentReply(item: ClockState, at: number): Partial<ItemRow> {
  if (item.awaitingSince === null || at < item.awaitingSince) return {}
  const patch: Partial<ItemRow> = { awaitingSince: null, status: item.status === 'closed' ? 'closed' : 'answered' }
  if (item.firstResponseAt === null) {
    patch.firstResponseAt = at
    patch.firstResponseSeconds = Math.max(0, Math.round((at - item.awaitingSince) / 1000))
  }
  return patch
}
