// The live board: GET /api/board for the chosen filters, refetched (debounced) on every item or
// SLA frame and on every (re)connect, with breaches from sla.breach frames shown at once, newest
// first, before the refetch confirms them. An item moved out of this user's OPDs (item.removed)
// leaves the feed at once; the refetch lists its breach again without the item (moved elsewhere).
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Board, BoardBreach, BoardQuery, ItemSummary, ServerFrame } from '@tanggap/shared'
import { getBoard } from './api.ts'

export interface BoardState {
  board: Board | null
  /** "Pelanggaran terbaru": the server's latest breaches merged with those that arrived live. */
  feed: BoardBreach[]
  phase: 'loading' | 'ready' | 'error'
  error: unknown
  /** Keys of breaches that arrived live on this page (highlighted). */
  fresh: ReadonlySet<string>
}

export const FEED_MAX = 50
/** Frames come in bursts (a viral post): at most one refetch per this many ms. */
export const REFETCH_DEBOUNCE_MS = 300

export const breachKey = (b: BoardBreach) => (b.item ? `${b.item.id}:${b.at}` : `moved:${b.ref}`)

/** Union by item and due moment (the first list wins a tie), newest first. */
export function mergeFeed(first: BoardBreach[], second: BoardBreach[]): BoardBreach[] {
  const byKey = new Map<string, BoardBreach>()
  for (const b of first) byKey.set(breachKey(b), b)
  for (const b of second) if (!byKey.has(breachKey(b))) byKey.set(breachKey(b), b)
  return [...byKey.values()].sort((a, b) => b.at - a.at || (b.item?.id ?? 0) - (a.item?.id ?? 0)).slice(0, FEED_MAX)
}

export function matchesBoardQuery(item: Pick<ItemSummary, 'platform' | 'channelId'>, q: BoardQuery): boolean {
  if (q.platform && item.platform !== q.platform) return false
  if (q.channel && item.channelId !== q.channel) return false
  return true
}

const initial: BoardState = { board: null, feed: [], phase: 'loading', error: null, fresh: new Set() }

export function useBoard(query: BoardQuery) {
  const [state, setState] = useState<BoardState>(initial)
  const key = JSON.stringify(query)
  const queryRef = useRef(query)
  const seq = useRef(0)
  const timer = useRef<number | undefined>(undefined)
  const inFlight = useRef(false)
  const dirty = useRef(false)
  /** Breaches received live under the current filters: kept through refetches until the server lists them. */
  const live = useRef<BoardBreach[]>([])
  const boardRef = useRef<Board | null>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: schedule depends on load; both are made once, so the first schedule is the only one
  const load = useCallback(async (silent: boolean) => {
    const my = ++seq.current
    inFlight.current = true
    dirty.current = false
    if (!silent) setState((s) => ({ ...s, phase: 'loading', error: null }))
    try {
      const board = await getBoard(queryRef.current)
      if (my !== seq.current) return
      boardRef.current = board
      const listed = new Set(board.breaches.map(breachKey))
      live.current = live.current.filter((b) => !listed.has(breachKey(b)))
      setState((s) => ({ board, feed: mergeFeed(board.breaches, live.current), phase: 'ready', error: null, fresh: s.fresh }))
    } catch (err) {
      if (my !== seq.current) return
      // A failed background refresh keeps the board on screen.
      if (!silent) setState((s) => ({ ...s, phase: 'error', error: err }))
    } finally {
      if (my === seq.current) {
        inFlight.current = false
        if (dirty.current) schedule()
      }
    }
  }, [])

  /** A refetch soon; frames during a fetch ask for one more after it. */
  const schedule = useCallback(() => {
    if (timer.current !== undefined) return
    timer.current = window.setTimeout(() => {
      timer.current = undefined
      if (inFlight.current) dirty.current = true
      else void load(true)
    }, REFETCH_DEBOUNCE_MS)
  }, [load])

  useEffect(() => {
    queryRef.current = JSON.parse(key) as BoardQuery
    live.current = []
    boardRef.current = null
    setState(initial)
    void load(false)
  }, [key, load])

  useEffect(
    () => () => {
      window.clearTimeout(timer.current)
      seq.current++
    },
    [],
  )

  const onFrame = useCallback(
    (frame: ServerFrame) => {
      if (frame.type === 'hello') return
      if (frame.type === 'item.removed') {
        const kept = (b: BoardBreach) => b.item?.id !== frame.itemId
        live.current = live.current.filter(kept)
        setState((s) => ({ ...s, feed: s.feed.filter(kept) }))
      }
      // Listed like the server lists them: under the OPD charged with the breach, if it has a tile here.
      const opd = frame.type === 'sla.breach' ? boardRef.current?.tiles.find((t) => t.opd.id === frame.opdId)?.opd : undefined
      if (frame.type === 'sla.breach' && opd && matchesBoardQuery(frame.item, queryRef.current)) {
        const breach: BoardBreach = { at: frame.at, opd, item: frame.item }
        live.current = mergeFeed([breach], live.current)
        setState((s) => ({ ...s, feed: mergeFeed(s.feed, [breach]), fresh: new Set([...s.fresh, breachKey(breach)].slice(-FEED_MAX)) }))
      }
      schedule()
    },
    [schedule],
  )

  /** After a (re)connect: whatever happened while the socket was down. */
  const refresh = useCallback(() => {
    window.clearTimeout(timer.current)
    timer.current = undefined
    if (inFlight.current) dirty.current = true
    else void load(true)
  }, [load])

  const retry = useCallback(() => void load(false), [load])

  return { ...state, onFrame, refresh, retry }
}
