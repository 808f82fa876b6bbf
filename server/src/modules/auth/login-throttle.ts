// Sign-in failures counted per account, beside the per-address limit on the route: after `max`
// failures within `windowMs` the account is locked for `windowMs`, right password or not, so
// guessing from many addresses gets no further than from one. Unknown usernames are counted the
// same way, so the answer reveals nothing. Counted in Redis when there is one (every process sees
// one count), else, and while Redis is away, in this process.
import type { Redis } from 'ioredis'
import { sha256 } from '../../lib/crypto.ts'
import { redisFallback, type FallbackLog } from '../../lib/redis-fallback.ts'

export interface LoginThrottleOptions {
  max: number
  windowMs: number
  clock: () => number
}

export interface LoginThrottle {
  /** Milliseconds until the account may try again; 0 when it may now. */
  lockedFor(account: string): Promise<number>
  /** Counts a failure; answers the lock's length when this failure starts one, else 0. */
  failed(account: string): Promise<number>
  /** A successful sign-in starts the count over. */
  succeeded(account: string): Promise<void>
}

interface Count {
  failures: number
  /** When the count starts over; while failures >= max, when the lock ends. */
  resetAt: number
}

// Bounds the memory an attacker can fill with made-up usernames; the oldest entries go first.
const MAX_ACCOUNTS_IN_MEMORY = 10_000

function memoryThrottle(o: LoginThrottleOptions): LoginThrottle {
  const counts = new Map<string, Count>()
  const live = (account: string, now: number) => {
    const c = counts.get(account)
    return c && c.resetAt > now ? c : undefined
  }
  return {
    async lockedFor(account) {
      const now = o.clock()
      const c = live(account, now)
      return c && c.failures >= o.max ? c.resetAt - now : 0
    },
    async failed(account) {
      const now = o.clock()
      const c = live(account, now) ?? { failures: 0, resetAt: now + o.windowMs }
      c.failures++
      if (c.failures === o.max) c.resetAt = now + o.windowMs
      counts.delete(account)
      counts.set(account, c)
      if (counts.size > MAX_ACCOUNTS_IN_MEMORY) counts.delete(counts.keys().next().value!)
      return c.failures === o.max ? o.windowMs : 0
    },
    async succeeded(account) {
      counts.delete(account)
    },
  }
}

// The same rule as memoryThrottle, in one step on Redis. Times come from the app's clock; the key's
// own expiry only clears it away afterwards.
const FAILED = `
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local resetAt = tonumber(redis.call('HGET', KEYS[1], 'resetAt') or '0')
if resetAt <= now then
  failures = 0
  resetAt = now + window
end
failures = failures + 1
if failures == max then resetAt = now + window end
redis.call('HSET', KEYS[1], 'failures', failures, 'resetAt', resetAt)
redis.call('PEXPIRE', KEYS[1], window)
return failures == max and window or 0
`

function redisThrottle(redis: Redis, prefix: string, o: LoginThrottleOptions): LoginThrottle {
  // Hashed: the key's length is fixed and Redis keeps no usernames.
  const key = (account: string) => `${prefix}:login-failures:${sha256(account)}`
  return {
    async lockedFor(account) {
      const now = o.clock()
      const [failures, resetAt] = (await redis.hmget(key(account), 'failures', 'resetAt')).map(Number) as [number, number]
      return failures >= o.max && resetAt > now ? resetAt - now : 0
    },
    async failed(account) {
      return Number(await redis.eval(FAILED, 1, key(account), o.clock(), o.max, o.windowMs))
    },
    async succeeded(account) {
      await redis.del(key(account))
    },
  }
}

export function loginThrottle(o: LoginThrottleOptions & { redis?: Redis; prefix: string; log: FallbackLog }): LoginThrottle {
  const memory = memoryThrottle(o)
  if (!o.redis) return memory
  const remote = redisThrottle(o.redis, o.prefix, o)
  const fallback = redisFallback(o.redis, o.log, 'sign-in throttle')
  return {
    lockedFor: (account) =>
      fallback.run(
        () => remote.lockedFor(account),
        () => memory.lockedFor(account),
      ),
    failed: (account) =>
      fallback.run(
        () => remote.failed(account),
        () => memory.failed(account),
      ),
    succeeded: (account) =>
      fallback.run(
        () => remote.succeeded(account),
        () => memory.succeeded(account),
      ),
  }
}
