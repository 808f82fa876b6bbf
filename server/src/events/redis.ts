// Redis-mode event bus: events travel over pub/sub on `${prefix}:events`. Local publishes are not
// delivered directly: they come back through the subscription like everyone else's, so every
// process (this one included) sees each event exactly once.
import type { ServerEvent } from '@tanggap/shared'
import { Redis } from 'ioredis'
import type { EventBus } from './bus.ts'
import { createListeners } from './inprocess.ts'

export interface BusLogger {
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface RedisBusOptions {
  redisUrl: string
  prefix: string
  logger?: BusLogger
}

export async function createRedisBus(opts: RedisBusOptions): Promise<EventBus> {
  const log: BusLogger = opts.logger ?? { warn() {}, error() {} }
  const channel = `${opts.prefix}:events`
  const listeners = createListeners((err) => log.error({ err }, 'event listener threw'))
  const pub = new Redis(opts.redisUrl)
  const sub = new Redis(opts.redisUrl)
  for (const [conn, role] of [
    [pub, 'publisher'],
    [sub, 'subscriber'],
  ] as const) {
    conn.on('error', (err) => log.error({ err, role }, 'event bus redis connection error'))
  }
  sub.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return
    let event: ServerEvent
    try {
      event = JSON.parse(raw) as ServerEvent
    } catch (err) {
      log.warn({ err, channel }, 'unparseable event dropped')
      return
    }
    listeners.emit(event)
  })
  try {
    await sub.subscribe(channel)
  } catch (err) {
    pub.disconnect()
    sub.disconnect()
    throw err
  }

  let closing: Promise<void> | undefined
  return {
    publish(event) {
      // News, not state: a lost event is tolerable, so failures are logged, never thrown.
      pub.publish(channel, JSON.stringify(event)).catch((err: unknown) => log.error({ err }, 'event publish failed'))
    },
    subscribe: (listener) => listeners.add(listener),
    close() {
      closing ??= (async () => {
        listeners.clear()
        await Promise.all([pub, sub].map((c) => c.quit().catch(() => c.disconnect())))
      })()
      return closing
    },
  }
}
