// Picks the event bus for the run mode: Redis pub/sub when Redis is configured, in-process otherwise.
import type { EventBus } from './bus.ts'
import { createInProcessBus } from './inprocess.ts'
import { createRedisBus, type BusLogger } from './redis.ts'

export interface EventBusOptions {
  redisUrl?: string | null
  redisPrefix: string
  logger?: BusLogger
}

export async function createEventBus(opts: EventBusOptions): Promise<EventBus> {
  if (!opts.redisUrl) {
    const log = opts.logger
    return createInProcessBus({ onListenerError: (err) => log?.error({ err }, 'event listener threw') })
  }
  return createRedisBus({ redisUrl: opts.redisUrl, prefix: opts.redisPrefix, logger: opts.logger })
}
