// Embedded-mode event bus: publish fans out synchronously to this process's listeners.
import type { ServerEvent } from '@tanggap/shared'
import type { EventBus } from './bus.ts'

type Listener = (event: ServerEvent) => void

/** A listener set whose fan-out survives a throwing listener; shared with the Redis bus. */
export function createListeners(onError: (err: unknown) => void = () => {}) {
  const listeners = new Set<Listener>()
  return {
    add(listener: Listener): () => void {
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry: Listener = (e) => listener(e)
      listeners.add(entry)
      return () => void listeners.delete(entry)
    },
    emit(event: ServerEvent): void {
      for (const l of [...listeners]) {
        try {
          l(event)
        } catch (err) {
          onError(err)
        }
      }
    },
    clear: () => listeners.clear(),
  }
}

export function createInProcessBus(opts: { onListenerError?: (err: unknown) => void } = {}): EventBus {
  const listeners = createListeners(opts.onListenerError)
  return {
    publish: (event) => listeners.emit(event),
    subscribe: (listener) => listeners.add(listener),
    close: async () => listeners.clear(),
  }
}
