// The live feed: one WebSocket to /ws (cookie-authenticated), reconnected with capped exponential
// backoff and jitter. onOpen tells the caller whether this is a reconnect, so it can refetch what
// it may have missed while the socket was down.
import type { ServerFrame } from '@tanggap/shared'

export type LiveState = 'connecting' | 'open' | 'closed'

export interface LiveHandlers {
  onFrame(frame: ServerFrame): void
  onOpen?(reconnected: boolean): void
  onState?(state: LiveState): void
  /** The socket closed (code 4001: the session ended); a reconnect is already scheduled. */
  onClose?(code: number): void
}

const MIN_DELAY = 1_000
const MAX_DELAY = 30_000

function isFrame(value: unknown): value is ServerFrame {
  if (typeof value !== 'object' || value === null) return false
  const type = (value as { type?: unknown }).type
  if (type === 'hello') return true
  if (type === 'item.removed') return typeof (value as { itemId?: unknown }).itemId === 'number'
  if (type === 'item.created' || type === 'item.updated' || type === 'sla.warning' || type === 'sla.breach') {
    const item = (value as { item?: unknown }).item
    if (!(typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'number')) return false
    if (type === 'sla.warning') return typeof (value as { at?: unknown }).at === 'number'
    if (type === 'sla.breach') return typeof (value as { at?: unknown }).at === 'number' && typeof (value as { opdId?: unknown }).opdId === 'number'
    return true
  }
  return false
}

/** Opens the live feed; returns a function that closes it for good. */
export function connectLive(handlers: LiveHandlers): () => void {
  let socket: WebSocket | null = null
  let timer: number | undefined
  let attempts = 0
  let everOpened = false
  let stopped = false

  const url = `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/ws`

  const schedule = () => {
    if (stopped) return
    const base = Math.min(MAX_DELAY, MIN_DELAY * 2 ** attempts)
    attempts++
    const delay = base / 2 + Math.random() * (base / 2)
    timer = window.setTimeout(open, delay)
  }

  function open() {
    if (stopped) return
    handlers.onState?.('connecting')
    let ws: WebSocket
    try {
      ws = new WebSocket(url)
    } catch {
      handlers.onState?.('closed')
      schedule()
      return
    }
    socket = ws
    ws.onopen = () => {
      attempts = 0
      handlers.onState?.('open')
      handlers.onOpen?.(everOpened)
      everOpened = true
    }
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return
      let data: unknown
      try {
        data = JSON.parse(ev.data)
      } catch {
        return
      }
      if (isFrame(data)) handlers.onFrame(data)
    }
    ws.onclose = (ev) => {
      if (socket !== ws) return
      socket = null
      handlers.onState?.('closed')
      schedule()
      handlers.onClose?.(ev.code)
    }
    // An error is always followed by close, which schedules the retry.
    ws.onerror = () => {}
  }

  // Back online or back to the tab: retry at once instead of waiting out the backoff.
  const retryNow = () => {
    if (stopped || socket) return
    window.clearTimeout(timer)
    attempts = 0
    open()
  }
  const onVisible = () => {
    if (document.visibilityState === 'visible') retryNow()
  }
  window.addEventListener('online', retryNow)
  document.addEventListener('visibilitychange', onVisible)

  open()

  return () => {
    stopped = true
    window.clearTimeout(timer)
    window.removeEventListener('online', retryNow)
    document.removeEventListener('visibilitychange', onVisible)
    const ws = socket
    socket = null
    if (ws) {
      ws.onclose = null
      ws.onmessage = null
      ws.close()
    }
  }
}
