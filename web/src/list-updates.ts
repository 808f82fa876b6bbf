// Pure functions that fold live frames into the loaded inbox list.
import type { ItemSummary, ServerEvent } from '@tanggap/shared'
import type { ItemFilters } from './api.ts'

export function matchesFilters(item: ItemSummary, f: ItemFilters): boolean {
  if (f.status && item.status !== f.status) return false
  if (f.platform && item.platform !== f.platform) return false
  if (f.opd && item.opd.id !== f.opd) return false
  if (f.channel && item.channelId !== f.channel) return false
  return true
}

/** Replaces the item with the same id, unless the copy we hold is newer. */
export function replaceItem(items: ItemSummary[], item: ItemSummary): ItemSummary[] {
  const i = items.findIndex((x) => x.id === item.id)
  if (i < 0) return items
  const old = items[i] as ItemSummary
  if (old.updatedAt > item.updatedAt) return items
  const next = items.slice()
  next[i] = item
  return next
}

/**
 * item.created prepends (when it matches the filters), item.updated replaces in place. An update for
 * an item we do not hold (handed to our OPD by a disposition) is slotted in by id, the list's order
 * (newest first), when it matches the filters and falls inside the part of the list already loaded.
 */
export function applyEvent(items: ItemSummary[], event: ServerEvent, filters: ItemFilters, hasMore: boolean): ItemSummary[] {
  const item = event.item
  if (items.some((x) => x.id === item.id)) return replaceItem(items, item)
  if (!matchesFilters(item, filters)) return items
  if (event.type === 'item.created') return [item, ...items]
  const at = items.findIndex((x) => x.id < item.id)
  if (at < 0) return hasMore ? items : [...items, item]
  return [...items.slice(0, at), item, ...items.slice(at)]
}

/** item.removed: the item left this user's OPDs. */
export function removeItem(items: ItemSummary[], id: number): ItemSummary[] {
  return items.some((x) => x.id === id) ? items.filter((x) => x.id !== id) : items
}

/** Appends a further page, skipping items already shown (the list may have shifted meanwhile). */
export function appendPage(items: ItemSummary[], more: ItemSummary[]): ItemSummary[] {
  const seen = new Set(items.map((x) => x.id))
  return [...items, ...more.filter((x) => !seen.has(x.id))]
}
