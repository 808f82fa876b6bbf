// Counters kept in Redis (rate limits, sign-in failures) fall back to this process while Redis is
// unreachable: the form and sign-in keep answering, with limits counted per process meanwhile.
// One warning per outage; during it, at most one call a second tries Redis again.
import type { Redis } from 'ioredis'

export interface FallbackLog {
  warn(obj: object, msg: string): void
  info(obj: object, msg: string): void
}

const PROBE_EVERY_MS = 1_000

export type RedisFallback = ReturnType<typeof redisFallback>

export function redisFallback(redis: Pick<Redis, 'status' | 'once'>, log: FallbackLog, what: string) {
  let downSince: number | null = null
  let probedAt = 0
  // Not yet connected at start is no outage (the connection logs its own errors).
  let connectedOnce = redis.status === 'ready'
  if (!connectedOnce) redis.once('ready', () => (connectedOnce = true))

  function down(err: unknown): void {
    if (downSince !== null) return
    downSince = Date.now()
    log.warn({ err, what }, 'redis unreachable: counting in this process until it answers')
  }

  return {
    /** Runs remote against Redis, or local while Redis is away (or when remote fails). */
    async run<T>(remote: () => Promise<T>, local: () => T | Promise<T>): Promise<T> {
      // Not connected: fail over without waiting for a command to time out.
      if (redis.status !== 'ready') {
        if (connectedOnce) down(new Error(`redis connection ${redis.status}`))
        return local()
      }
      const now = Date.now()
      if (downSince !== null && now - probedAt < PROBE_EVERY_MS) return local()
      probedAt = now
      try {
        const value = await remote()
        if (downSince !== null) {
          log.info({ what, downForMs: now - downSince }, 'redis reachable again: counting in redis')
          downSince = null
        }
        return value
      } catch (err) {
        down(err)
        return local()
      }
    },
  }
}
