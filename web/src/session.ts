// The signed-in session, loaded once from GET /api/auth/session and shared through a tiny store.
// 'unknown' until the first answer; null when nobody is signed in.
import { useEffect, useSyncExternalStore } from 'react'
import type { Session } from '@tanggap/shared'
import { ApiError, getSession, onUnauthorized, setCsrfToken } from './api.ts'

type SessionState = Session | null | 'unknown'

let state: SessionState = 'unknown'
let loading: Promise<void> | null = null
let loadError: unknown = null
const listeners = new Set<() => void>()

function emit() {
  for (const l of listeners) l()
}

export function setSession(session: Session | null): void {
  state = session
  loadError = null
  setCsrfToken(session?.csrfToken ?? null)
  emit()
}

/** Asks the server once (again after reloadSession); concurrent callers share the request. */
export function loadSession(): Promise<void> {
  if (state !== 'unknown') return Promise.resolve()
  loading ??= getSession()
    .then((s) => setSession(s))
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) setSession(null)
      else {
        loadError = err
        emit()
      }
    })
    .finally(() => {
      loading = null
    })
  return loading
}

export function reloadSession(): Promise<void> {
  state = 'unknown'
  loadError = null
  emit()
  return loadSession()
}

onUnauthorized(() => {
  if (state !== null) setSession(null)
})

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

let snapshot: { session: SessionState; error: unknown } = { session: state, error: loadError }
function getSnapshot() {
  if (snapshot.session !== state || snapshot.error !== loadError) snapshot = { session: state, error: loadError }
  return snapshot
}

/** The session state; starts loading it on first use. */
export function useSession(): { session: SessionState; error: unknown } {
  const snap = useSyncExternalStore(subscribe, getSnapshot)
  useEffect(() => {
    void loadSession()
  }, [])
  return snap
}
