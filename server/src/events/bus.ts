// The event bus carries news between processes: in embedded mode within one process, in redis
// mode over Redis pub/sub so every web process pushes every event to its sockets.
import type { ServerEvent } from '@tanggap/shared'

export interface EventBus {
  publish(event: ServerEvent): void
  subscribe(listener: (event: ServerEvent) => void): () => void
  close(): Promise<void>
}
