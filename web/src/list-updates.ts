// Pure functions that fold live frames into the loaded inbox list. The list keeps the server's
// order (shared/src/inbox-order.ts): an updated or new item is placed by the same rule, so a live
// frame never leaves the list out of order.
import { compareNewest, compareUrgency, type ItemSort, type ItemSummary, type ServerEvent } from '@tanggap/shared'
import type { ItemFilters } from './api.ts'

export function matchesFilters(item: ItemSummary, f: ItemFilters): boolean {
  if (f.status && item.status !== f.status) return false
  if (f.platform && item.platform !== f.platform) return false
  if (f.opd && item.opd.id !== f.opd) return false
  if (f.channel && item.channelId !== f.channel) return false
  return true
}

export const comparatorOf = (sort: ItemSort | undefined) => (sort === 'newest' ? compareNewest : compareUrgency)

/**
 * Puts the item where the order says, replacing any copy with its id. When it belongs after the
 * last loaded item and more pages exist, it is left for "load more" (whose cursor comes before it).
 */
export function placeItem(items: ItemSummary[], item: ItemSummary, sort: ItemSort | undefined, hasMore: boolean): ItemSummary[] {
  const compare = comparatorOf(sort)
  const rest = items.filter((x) => x.id !== item.id)
  const at = rest.findIndex((x) => compare(item, x) < 0)
  if (at < 0) return hasMore ? rest : [...rest, item]
  return [...rest.slice(0, at), item, ...rest.slice(at)]
}

/** Replaces (and re-places) the item with the same id, unless the copy we hold is newer. */
export function replaceItem(items: ItemSummary[], item: ItemSummary, sort?: ItemSort, hasMore = false): ItemSummary[] {
  const old = items.find((x) => x.id === item.id)
  if (!old || old.updatedAt > item.updatedAt) return items
  return placeItem(items, item, sort, hasMore)
}

/**
 * item.created, item.updated, sla.warning and sla.breach: an item we hold is replaced and moved to
 * its place; one we do not hold (new, or handed to our OPD by a disposition) is placed when it
 * matches the filters and falls inside the part of the list already loaded.
 */
export function applyEvent(items: ItemSummary[], event: ServerEvent, filters: ItemFilters, hasMore: boolean): ItemSummary[] {
  const item = event.item
  if (items.some((x) => x.id === item.id)) return replaceItem(items, item, filters.sort, hasMore)
  if (!matchesFilters(item, filters)) return items
  return placeItem(items, item, filters.sort, hasMore)
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
