// The open item: its detail, refreshed on demand (live updates) and every few seconds while one of
// our replies is still waiting to be delivered.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ItemDetail, ItemSummary, ReplyView } from '@tanggap/shared'
import { ApiError, getItem } from './api.ts'

export interface ItemDetailState {
  detail: ItemDetail | null
  phase: 'idle' | 'loading' | 'ready' | 'not-found' | 'error'
  error: unknown
}

const PENDING_POLL_MS = 3_000

export function useItemDetail(id: number | null) {
  const [state, setState] = useState<ItemDetailState>({ detail: null, phase: id === null ? 'idle' : 'loading', error: null })
  const seq = useRef(0)
  const idRef = useRef(id)

  const load = useCallback(async (silent: boolean) => {
    const current = idRef.current
    const my = ++seq.current
    if (current === null) {
      setState({ detail: null, phase: 'idle', error: null })
      return
    }
    if (!silent) setState({ detail: null, phase: 'loading', error: null })
    try {
      const detail = await getItem(current)
      if (my !== seq.current) return
      setState({ detail, phase: 'ready', error: null })
    } catch (err) {
      if (my !== seq.current) return
      if (err instanceof ApiError && err.status === 404) setState({ detail: null, phase: 'not-found', error: null })
      else if (!silent) setState({ detail: null, phase: 'error', error: err })
    }
  }, [])

  useEffect(() => {
    idRef.current = id
    void load(false)
  }, [id, load])

  const hasPending = state.detail?.replies.some((r) => r.state === 'pending') ?? false
  useEffect(() => {
    if (!hasPending) return
    const timer = window.setInterval(() => void load(true), PENDING_POLL_MS)
    return () => window.clearInterval(timer)
  }, [hasPending, load])

  const refresh = useCallback(() => load(true), [load])

  const patchItem = useCallback((item: ItemSummary) => {
    setState((s) => (s.detail && s.detail.item.id === item.id ? { ...s, detail: { ...s.detail, item } } : s))
  }, [])

  const addReply = useCallback((reply: ReplyView) => {
    setState((s) =>
      s.detail && !s.detail.replies.some((r) => r.id === reply.id) ? { ...s, detail: { ...s.detail, replies: [...s.detail.replies, reply] } } : s,
    )
  }, [])

  return { ...state, refresh, patchItem, addReply }
}
