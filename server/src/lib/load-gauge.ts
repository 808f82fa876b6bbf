// Whether requests are arriving right now. In embedded mode the jobs share the thread that answers
// requests; while requests arrive, the in-process queue gives jobs only a share of that thread, so
// a burst is accepted at the rate requests alone allow and processed right behind it.
import { performance } from 'node:perf_hooks'

export interface LoadGauge {
  /** Called for every arriving request that matters (deliveries). */
  arrival(): void
  /** True while the last arrival is recent. */
  busy(): boolean
}

export function loadGauge(windowMs = 50): LoadGauge {
  let last = -Infinity
  return {
    arrival: () => void (last = performance.now()),
    busy: () => performance.now() - last < windowMs,
  }
}
