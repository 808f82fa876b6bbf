// The inbox list: first page, "load more", and live frames folded in. Events that arrive while a
// page is in flight are buffered and replayed over the fresh page, so none is lost.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ItemSummary, ServerFrame } from '@tanggap/shared'
import { listItems, type ItemFilters } from './api.ts'
import { appendPage, applyEvent, removeItem, replaceItem } from './list-updates.ts'

export interface ItemListState {
  items: ItemSummary[]
  nextCursor: string | null
  phase: 'loading' | 'ready' | 'error'
  error: unknown
  loadingMore: boolean
  moreError: unknown
}

type LiveFrame = Exclude<ServerFrame, { type: 'hello' }>

function applyFrame(items: ItemSummary[], frame: LiveFrame, filters: ItemFilters, hasMore: boolean): ItemSummary[] {
  return frame.type === 'item.removed' ? removeItem(items, frame.itemId) : applyEvent(items, frame, filters, hasMore)
}

const initial: ItemListState = { items: [], nextCursor: null, phase: 'loading', error: null, loadingMore: false, moreError: null }

export function useItemList(filters: ItemFilters) {
  const [state, setState] = useState<ItemListState>(initial)
  const seq = useRef(0)
  const filtersRef = useRef(filters)
  const buffered = useRef<LiveFrame[] | null>(null)
  const key = JSON.stringify(filters)

  const load = useCallback(async (silent: boolean) => {
    const my = ++seq.current
    buffered.current = []
    if (!silent) setState((s) => ({ ...s, phase: 'loading', error: null, moreError: null }))
    try {
      const page = await listItems(filtersRef.current, null)
      if (my !== seq.current) return
      const events = buffered.current ?? []
      buffered.current = null
      let items = page.items
      for (const ev of events) items = applyFrame(items, ev, filtersRef.current, page.nextCursor !== null)
      setState({ items, nextCursor: page.nextCursor, phase: 'ready', error: null, loadingMore: false, moreError: null })
    } catch (err) {
      if (my !== seq.current) return
      buffered.current = null
      // A failed background refresh keeps the list on screen.
      if (!silent) setState((s) => ({ ...s, phase: 'error', error: err }))
    }
  }, [])

  useEffect(() => {
    filtersRef.current = JSON.parse(key) as ItemFilters
    void load(false)
  }, [key, load])

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor
    if (!cursor || state.loadingMore) return
    const my = seq.current
    setState((s) => ({ ...s, loadingMore: true, moreError: null }))
    try {
      const page = await listItems(filtersRef.current, cursor)
      if (my !== seq.current) return
      setState((s) => ({ ...s, items: appendPage(s.items, page.items), nextCursor: page.nextCursor, loadingMore: false }))
    } catch (err) {
      if (my !== seq.current) return
      setState((s) => ({ ...s, loadingMore: false, moreError: err }))
    }
  }, [state.nextCursor, state.loadingMore])

  const applyLive = useCallback((frame: LiveFrame) => {
    if (buffered.current) buffered.current.push(frame)
    setState((s) => (s.phase === 'ready' ? { ...s, items: applyFrame(s.items, frame, filtersRef.current, s.nextCursor !== null) } : s))
  }, [])

  /** An item changed by our own action (status, disposition): show it at once. */
  const update = useCallback((item: ItemSummary) => {
    setState((s) => ({ ...s, items: replaceItem(s.items, item, filtersRef.current.sort, s.nextCursor !== null) }))
  }, [])

  const refresh = useCallback((silent = true) => load(silent), [load])

  return { ...state, loadMore, applyLive, update, refresh }
}
